import { PlainSpec, specFromStackConfig } from "../components/spec";
import { evaluate } from "./offline/engine";
import { RecordedRun } from "./offline/record";
import { knownSecrets, loadStackConfig, planStandIn, readStackFile, stackConfigFromObject } from "./offline/stack-config";

// One offline evaluation of a stack, shared by `npm run plan` and `npm run docs`: the recorded run and,
// when the config is valid, the same spec the program built.

export interface StackRun {
    run: RecordedRun;
    spec?: PlainSpec;
}

export async function runStackOffline(stack: string, opts: { configFile?: string; program?: string } = {}): Promise<StackRun> {
    const loaded = opts.configFile
        ? ((values) => stackConfigFromObject(values, planStandIn, knownSecrets(values)))(readStackFile(opts.configFile))
        : loadStackConfig(stack);
    const run = await evaluate(loaded.config, loaded.secretKeys, { stack, program: opts.program });
    if (run.error) return { run };
    // The conversion the program made of the same config (loadSpec), so its spec and the run agree.
    const result = specFromStackConfig(loaded.config);
    return { run, spec: result.ok ? result.spec : undefined };
}
