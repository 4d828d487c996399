import { PlainSpec } from "../components/config";
import { evaluate } from "./offline/engine";
import { RecordedRun } from "./offline/record";
import { loadStackSpec, StackSource } from "./stack";

// One offline evaluation of a stack (plan, docs): the program run under the offline engine on the spec
// tools/stack.ts read and validated first.

/** The program run offline on a valid stack, with the spec it built; throws as {@link loadStackSpec}, or the program's failure. */
export async function runStackOffline(
    source: StackSource,
    opts: { program?: string } = {},
): Promise<{ run: RecordedRun; spec: PlainSpec }> {
    const { loaded, spec } = loadStackSpec(source);
    const run = await evaluate(loaded.config, loaded.secretKeys, { stack: source.stack, program: opts.program });
    if (run.error) throw run.error;
    return { run, spec };
}
