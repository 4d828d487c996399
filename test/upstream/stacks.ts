import * as versions from "../../components/versions";
import { grownValues } from "../../tools/bench";
import { Day2Change, day2Changes } from "../fixtures/day2";
import { evaluate } from "../../tools/offline/engine";
import { RecordedRun } from "../../tools/offline/record";
import { knownSecrets, stackConfigFromObject } from "../../components/config/stack-file";
import { canary, HomeValues, homeValues } from "../harness/home";

// The stacks the upstream judges see: the home fixture, the 3 + 60 bench stack, and the day-2 variants
// (test/fixtures/day2.ts, plus the ones only an upstream judge can say something about).

export type Variant = Day2Change;
type Pins = Parameters<Day2Change["edit"]>[1];

/** Day-2 changes beyond test/fixtures/day2.ts: a new contract, an app added, a gateway's address moved. */
export const extraVariants: readonly Variant[] = [
    {
        title: "config contract v1.13 -> v1.14 (with Talos v1.14.0)",
        edit: (v) => void Object.assign(v["homelab:talos"], { version: "v1.14.0", configContract: "v1.14" }),
    },
    {
        title: "an app added (blog on envoy-external)",
        edit: (v) =>
            void v["homelab:apps"].push({
                name: "blog",
                namespace: "default",
                hostname: "blog",
                gateway: "external",
                service: { name: "blog", port: 8080 },
            }),
    },
    { title: "envoy-internal moves 172.16.1.61 -> 172.16.1.63", edit: (v) => void (v["homelab:gateways"].internal = "172.16.1.63") },
];

export const variants: readonly Variant[] = [...day2Changes, ...extraVariants];

/** The program run on these values, every secret a canary; throws the program's error. */
export async function runValues(values: HomeValues): Promise<RecordedRun> {
    const stack = stackConfigFromObject(values, canary, knownSecrets(values));
    const run = await evaluate(stack.config, stack.secretKeys);
    if (run.error) throw run.error;
    return run;
}

/** The program run on the home fixture with one variant's edit; pinned versions are put back after. */
export async function runVariant(variant: Variant): Promise<RecordedRun> {
    const values = homeValues();
    const restore = variant.edit(values, versions as unknown as Pins);
    try {
        return await runValues(values);
    } finally {
        restore?.();
    }
}

export const runHome = () => runValues(homeValues());

/** The bench stack: 3 control planes and 60 workers. */
export const runBench = () => runValues(grownValues(60, homeValues()));
