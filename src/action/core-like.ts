// The part of @actions/core the Action uses, injected into both modes (the gate step and report
// mode) so each can be tested without the Actions runtime; main.ts passes the real one.

/** What report mode uses. */
export interface CoreLike {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  info(message: string): void;
  warning(message: string): void;
  summary: { addRaw(text: string): { write(): Promise<unknown> } };
}

/** What the gate step uses besides: masking secrets, multi-line inputs and failing the step. */
export interface ActionCore extends CoreLike {
  /** Any value, as @actions/core takes it (a number is written as JSON). */
  setOutput(name: string, value: unknown): void;
  getMultilineInput(name: string): string[];
  setSecret(secret: string): void;
  setFailed(message: string): void;
}
