import * as pulumi from "@pulumi/pulumi";
import { HomelabSpec, SecretKey, SpecSecrets } from "./config";
import { namespace } from "./config/namespace-rules";
import { Problem, problemReport } from "./config/problems";
import { specFromStackConfig } from "./config/stack-config";
import { requiredSecrets } from "./config/structure";
import { configWarnings } from "./config/url-rules";

// The program's side of the config: what needs the Pulumi runtime (the stack's config, secret Outputs, the
// CLI's diagnostics). Everything it checks is components/config's, which stays free of Pulumi so that the tools
// and the policy pack read a stack without loading it.

/**
 * The config's problems as `pulumi up` shows them: the CLI prints a RunError's message alone, with no stack trace.
 * The message is the same report the tools print for a components/config ConfigError.
 */
export class ConfigRunError extends pulumi.RunError {
    constructor(
        public readonly problems: readonly Problem[],
        public readonly unchecked: readonly string[] = [],
    ) {
        super(problemReport(problems, unchecked));
        this.name = "ConfigError";
    }
}

/**
 * Reads and validates the whole `homelab` config. Throws a ConfigRunError naming every problem before
 * any resource exists; the secrets come back as secret Outputs only.
 */
export function loadSpec(): HomelabSpec {
    const result = specFromStackConfig(pulumi.runtime.allConfig(), { stackFile: `Pulumi.${pulumi.getStack()}.yaml` });
    if (!result.ok) throw new ConfigRunError(result.problems, result.unchecked);
    // To the CLI's diagnostics. Offline runs (the plan tool, the tests) have no engine, and the plan prints them itself.
    if (pulumi.runtime.hasEngine()) for (const warning of configWarnings(result.spec)) pulumi.log.warn(warning);
    const config = new pulumi.Config(namespace);
    const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
    for (const key of requiredSecrets(result.spec)) secrets[key] = config.requireSecret(key);
    return { ...result.spec, secrets: secrets as SpecSecrets };
}
