# Turns a JSON data file into a C++ source that exposes its text, so the binary carries
# the command facts without reading files at run time.
file(READ ${INPUT} CONTENT)
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n")
file(APPEND ${OUTPUT} "#include <string_view>\nnamespace cairn {\n")
file(APPEND ${OUTPUT} "extern const std::string_view kCommandFactsJson;\n")
file(APPEND ${OUTPUT} "const std::string_view kCommandFactsJson = R\"cairnjson(${CONTENT})cairnjson\";\n")
file(APPEND ${OUTPUT} "}  // namespace cairn\n")
