/** The template language: sandboxed Handlebars syntax with typed evaluation. */
export type { TemplateRef } from "./ast.js";
export { type CompiledTemplate, compileTemplate, hasTemplate } from "./compile.js";
export { isTemplateError, type TemplateWhere } from "./errors.js";
export type { EvalOptions, TemplateScope } from "./evaluate.js";
export { HELPERS, type HelperDoc } from "./helpers.js";
export { evaluateCondition, type RenderOptions, renderValue, templateRefs } from "./render.js";
