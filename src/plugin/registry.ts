import type { JsonSchema, StepType } from "./types.js";

/** What validation, compilation and the worker need to know about one step type. */
export interface StepTypeInfo {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  literalInputs?: string[];
  /** file: URL of the compiled ES module whose default export is the StepType or a Plugin. */
  moduleUrl: string;
  /** Where it came from, for error messages: "built-in", a file path or a package name. */
  source: string;
  stepType?: StepType;
}

export interface StepTypeLookup {
  get(name: string): StepTypeInfo | undefined;
  names(): string[];
}

export class StepRegistry implements StepTypeLookup {
  private readonly types = new Map<string, StepTypeInfo>();

  add(info: StepTypeInfo): void {
    const existing = this.types.get(info.name);
    if (existing) {
      throw new Error(
        `step type "${info.name}" from ${info.source} is already defined by ${existing.source}`,
      );
    }
    this.types.set(info.name, info);
  }

  get(name: string): StepTypeInfo | undefined {
    return this.types.get(name);
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }
}
