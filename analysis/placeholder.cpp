// replaced by the pipeline
namespace stride { int analysis_placeholder() { return 0; } }
