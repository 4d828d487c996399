import { PlainSpec, validateConfig } from "../components/spec";
import { evaluate } from "../test/harness/engine";
import { RecordedRun } from "../test/harness/record";
import { declaredSecrets, loadStackConfig, planStandIn, readStackFile, stackConfigFromObject } from "../test/harness/stack-config";

// One offline evaluation of a stack, shared by `npm run plan` and `npm run docs`: the recorded run and,
// when the config is valid, the same spec the program built.

export interface StackRun {
    run: RecordedRun;
    spec?: PlainSpec;
}

export async function runStackOffline(stack: string, opts: { configFile?: string; program?: string } = {}): Promise<StackRun> {
    const loaded = opts.configFile
        ? stackConfigFromObject(readStackFile(opts.configFile), planStandIn, declaredSecrets())
        : loadStackConfig(stack);
    const run = await evaluate(loaded.config, loaded.secretKeys, { stack, program: opts.program });
    if (run.error) return { run };
    const raw = Object.fromEntries(
        Object.entries(loaded.config)
            .filter(([key]) => !loaded.secretKeys.includes(key))
            .map(([key, value]) => [key.slice("homelab:".length), key === "homelab:domain" ? value : JSON.parse(value)]),
    );
    const result = validateConfig(raw, new Set(loaded.secretKeys.map((k) => k.slice("homelab:".length))));
    if (!result.ok) throw new Error("validation disagrees with the program run");
    return { run, spec: result.spec };
}
