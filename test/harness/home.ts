import { evaluate } from "./engine";
import { Graph } from "./graph";
import { declaredSecrets, stackConfigFromObject, stackValues } from "./stack-config";

// The home stack as tests use it: every secret set to a canary, so a leak anywhere is detectable.

export const canary = (key: string) => `CANARY-${key}`;

/** A deep copy of Pulumi.home.yaml's values, to edit. */
export function homeValues(): Record<string, any> /* eslint-disable-line @typescript-eslint/no-explicit-any */ {
    return structuredClone(stackValues("home"));
}

/** Runs the program on these values (default: the home stack) with every declared secret set. */
export async function runStack(values: Record<string, unknown> = homeValues(), unset: string[] = []): Promise<Graph> {
    const declared = declaredSecrets().filter((k) => !unset.includes(k));
    const stack = stackConfigFromObject(values, canary, declared);
    return new Graph(await evaluate(stack.config, stack.secretKeys));
}
