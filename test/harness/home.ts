import { PlainSpec, specFromStackConfig } from "../../components/config";
import { evaluate } from "../../tools/offline/engine";
import { Graph } from "../../tools/offline/graph";
import * as path from "node:path";
import { knownSecrets, readStackFile, stackConfigFromObject } from "../../components/config/stack-file";

// The home stack as tests use it: every secret set to a canary, so a leak anywhere is detectable. Tests own
// their fixture (test/fixtures/home.yaml, the spec's home network): the user's own stack file is theirs to edit.

export const homeFixture = path.join(__dirname, "..", "fixtures", "home.yaml");

/** The stack file a fix names when the program runs the fixture: the offline engine runs it as stack `home`, and
 *  the program names `Pulumi.<stack>.yaml` (components/program-config.ts). */
export const fixtureStackFile = `Pulumi.${"home"}.yaml`;

export const canary = (key: string) => `CANARY-${key}`;

/** A fresh copy of the home fixture's values, to edit. */
export function homeValues(): Record<string, any> /* eslint-disable-line @typescript-eslint/no-explicit-any */ {
    return readStackFile(homeFixture);
}

/** Runs the program on these values (default: the home stack) with every secret it knows set, but `unset`. */
export async function runStack(values: Record<string, unknown> = homeValues(), unset: string[] = []): Promise<Graph> {
    const secrets = knownSecrets(values).filter((k) => !unset.includes(k));
    const stack = stackConfigFromObject(values, canary, secrets);
    return new Graph(await evaluate(stack.config, stack.secretKeys));
}

/** `pulumi preview` of these values against a stack that `up` already built from `built`. */
export async function previewStack(values: Record<string, unknown>, built: Graph): Promise<Graph> {
    const stack = stackConfigFromObject(values, canary, knownSecrets(values));
    return new Graph(await evaluate(stack.config, stack.secretKeys, { previewAgainst: built.resources }));
}

/** The home fixture's values. */
export type HomeValues = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The validated spec of the home stack, as loadSpec builds it (keys without `homelab:`, every secret set),
 * after `edit` has changed the raw values; for pure-module tests. Throws the problems if it does not validate.
 */
export function homeSpec(edit: (values: HomeValues) => void = () => undefined): PlainSpec {
    const values = homeValues();
    edit(values);
    const result = specFromStackConfig(stackConfigFromObject(values, canary, knownSecrets(values)).config);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.key} ${p.message}`).join("\n"));
    return result.spec;
}

/** The home apps with the first one (my-app, myapp.ragas.cc) moved to the external gateway. */
export const publishFirstApp = (values: HomeValues) => {
    values["homelab:apps"][0].gateway = "external";
};
