/**
 * Cascade schemes: the document model (Jackson-bound records), the JSON Schema check, the graph validator and
 * the built-in templates.
 */
package io.outdial.fallback.scheme;
