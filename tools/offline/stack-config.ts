import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseStructure, requiredSecrets } from "../../components/spec/structure";
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
 * The secrets stood in for a stack with these values, as full `homelab:` keys: those Pulumi.yaml declares
 * (the CLI demands each) and those the program requires of this config (the Cloudflare tokens, a configured
 * forwarder's), which it asks for by key. Any other optional secret is stood in only when the stack file sets it.
 */
export function knownSecrets(values: Readonly<Record<string, unknown>>, root = projectRoot): string[] {
    const raw = Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith("homelab:")).map(([k, v]) => [k.slice("homelab:".length), v]));
    const needed = requiredSecrets(parseStructure(raw).parsed);
    return [...new Set([...declaredSecrets(root), ...needed.map((key) => `homelab:${key}`)])].sort();
}

/** The stand-in for a secret: tests pass a canary, the plan a visible marker. */
export type SecretStandIn = (key: string) => string;
export const planStandIn: SecretStandIn = (key) => `<placeholder for secret ${key}>`;

/** The namespace the program reads; other keys (`kubernetes:context`, `proxmoxve:insecure`) belong to providers. */
const namespace = "homelab:";

export function stackConfigFromObject(values: Record<string, unknown>, standIn: SecretStandIn, declared: string[]): LoadedStack {
    const config: StackConfig = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(values)) {
        // The offline run has no providers to configure: another namespace's keys are left out, secure or not.
        if (!key.startsWith(namespace)) continue;
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

/**
 * The `config:` map of a stack file, or an error that says "<file> is not a stack file" and why: empty, binary
 * (a NUL byte or bytes that are not UTF-8), not YAML, or YAML without a `config:` map.
 */
export function readStackFile(file: string): Record<string, unknown> {
    const bytes = fs.readFileSync(file);
    const notStackFile = (why: string) => new Error(`${file} is not a stack file: ${why}. A stack file is YAML with a \`config:\` map of homelab:<key> values, like Pulumi.home.yaml`);
    if (bytes.includes(0)) throw notStackFile("it is binary (it holds NUL bytes)");
    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        throw notStackFile("it is not UTF-8 text");
    }
    if (text.trim() === "") throw notStackFile("it is empty");
    let document: unknown;
    try {
        document = YAML.parse(text);
    } catch (error) {
        throw notStackFile(`it is not YAML (${(error as Error).message.split("\n")[0]})`);
    }
    const config = (document as { config?: unknown } | null)?.config;
    if (!document || typeof document !== "object" || Array.isArray(document) || !config || typeof config !== "object" || Array.isArray(config)) {
        throw notStackFile("it has no `config:` map");
    }
    return config as Record<string, unknown>;
}

export function loadStackConfig(stack: string, standIn: SecretStandIn = planStandIn, root = projectRoot): LoadedStack {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`no stack file ${file}: pass --stack with an existing Pulumi.<stack>.yaml`);
    const values = readStackFile(file);
    return stackConfigFromObject(values, standIn, knownSecrets(values, root));
}

/** The home stack's values as an object, for tests that edit one key and run again. */
export function stackValues(stack = "home", root = projectRoot): Record<string, unknown> {
    return YAML.parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")).config;
}
