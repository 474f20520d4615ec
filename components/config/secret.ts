// A configuration value that must stay secret. It never prints itself: String(),
// JSON.stringify and util.inspect all give "[secret]". Components turn it into a
// Pulumi secret with `pulumi.secret(value.reveal())` at the point of use.
import { inspect } from "util";

export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value; call only where it goes straight into `pulumi.secret(...)`. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "[secret]";
  }

  toJSON(): string {
    return "[secret]";
  }

  [inspect.custom](): string {
    return "[secret]";
  }
}
