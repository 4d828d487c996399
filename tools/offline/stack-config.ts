import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { secretKeys } from "../../components/spec";
import { StackConfig } from "./engine";

// Reads a stack the way the Pulumi CLI hands it to the program: Pulumi.<stack>.yaml values as flat
// `homelab:key` strings (objects JSON-encoded). Secure values and declared secrets that are unset get
// a marked stand-in, so the program runs with no credentials and no CLI.

export const projectRoot = path.resolve(__dirname, "../..");

export interface LoadedStack {
    config: StackConfig;
    /** Full keys of the secret values (all stand-ins). */
    secretKeys: string[];
}

/** The secret keys Pulumi.yaml declares (`secret: true`), as full `homelab:` keys. */
export function declaredSecrets(root = projectRoot): string[] {
    const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
    return Object.entries(project.config ?? {})
        .filter(([, decl]) => (decl as { secret?: boolean }).secret === true)
        .map(([key]) => (key.includes(":") ? key : `${project.name}:${key}`))
        .sort();
}

/**
 * Every secret the program can read, as full `homelab:` keys: those Pulumi.yaml declares (the CLI demands
 * each) and the optional ones it leaves out (a forwarder's, read only when that forwarder is configured).
 */
export function knownSecrets(root = projectRoot): string[] {
    return [...new Set([...declaredSecrets(root), ...secretKeys.map((key) => `homelab:${key}`)])].sort();
}

/** The stand-in for a secret: tests pass a canary, the plan a visible marker. */
export type SecretStandIn = (key: string) => string;
export const planStandIn: SecretStandIn = (key) => `<placeholder for secret ${key}>`;

export function stackConfigFromObject(values: Record<string, unknown>, standIn: SecretStandIn, declared: string[]): LoadedStack {
    const config: StackConfig = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(values)) {
        if (value && typeof value === "object" && "secure" in (value as object)) {
            config[key] = standIn(key);
            secretKeys.add(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    for (const key of declared) {
        if (!(key in config)) config[key] = standIn(key);
        secretKeys.add(key);
    }
    return { config, secretKeys: [...secretKeys].sort() };
}

export function loadStackConfig(stack: string, standIn: SecretStandIn = planStandIn, root = projectRoot): LoadedStack {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`no stack file ${file}: pass --stack with an existing Pulumi.<stack>.yaml`);
    const values = YAML.parse(fs.readFileSync(file, "utf8"))?.config ?? {};
    return stackConfigFromObject(values, standIn, knownSecrets(root));
}

/** The home stack's values as an object, for tests that edit one key and run again. */
export function stackValues(stack = "home", root = projectRoot): Record<string, unknown> {
    return YAML.parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")).config;
}
