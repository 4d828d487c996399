import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { isNamespaceSlip, namespace } from "./namespace-rules";
import { StackConfig } from "./stack-config";
import { parseStructure, requiredSecrets } from "./structure";

// Reads a stack file the way the Pulumi CLI hands it to the program: Pulumi.<stack>.yaml values as flat
// `homelab:key` strings (objects JSON-encoded). Secure values and declared secrets that are unset get
// a marked stand-in, so the program runs offline with no credentials and no CLI, and verify and the tools
// read the stack without loading Pulumi at all.

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
    const raw = Object.fromEntries(
        Object.entries(values)
            .filter(([k]) => k.startsWith(`${namespace}:`))
            .map(([k, v]) => [k.slice(namespace.length + 1), v]),
    );
    const needed = requiredSecrets(parseStructure(raw).parsed);
    return [...new Set([...declaredSecrets(root), ...needed.map((key) => `homelab:${key}`)])].sort();
}

/** The stand-in for a secret: tests pass a canary, the plan a visible marker. */
export type SecretStandIn = (key: string) => string;
export const planStandIn: SecretStandIn = (key) => `<placeholder for secret ${key}>`;

/**
 * Whether the offline run hands a key to the program: the namespace it reads, and a misspelt one (`homlab:`), which
 * the program names. Other keys (`kubernetes:context`, `proxmoxve:insecure`) configure providers the offline run does
 * not have, so they are left out, secure or not.
 */
function programReads(key: string): boolean {
    const ns = key.split(":")[0];
    return key.includes(":") && (ns === namespace || isNamespaceSlip(ns));
}

export function stackConfigFromObject(values: Record<string, unknown>, standIn: SecretStandIn, declared: string[]): LoadedStack {
    const config: StackConfig = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(values)) {
        if (!programReads(key)) continue;
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
 * The `config:` map of a stack file, or an error that says why it is not one: missing, the project file
 * (Pulumi.yaml), empty, binary (a NUL byte or bytes that are not UTF-8), not YAML, or YAML without a `config:` map.
 * `shownAs` is how messages name the file (as the user typed it).
 */
export function readStackFile(file: string, shownAs = file): Record<string, unknown> {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") throw new Error(`${shownAs}: no such file${shownAs === file ? "" : ` (${file})`}`);
        if (code === "EISDIR") throw new Error(`${shownAs} is a directory, not a stack file`);
        throw new Error(`${shownAs} cannot be read (${code ?? (error as Error).message})`);
    }
    const notStackFile = (why: string) =>
        new Error(
            `${shownAs} is not a stack file: ${why}. A stack file is YAML with a \`config:\` map of homelab:<key> values, like Pulumi.example.yaml`,
        );
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
    // Pulumi.yaml declares the keys (`config: {domain: {type: string}}`), which would read as eight wrong values.
    if (document && typeof document === "object" && "runtime" in document && "name" in document) {
        throw new Error(
            `${shownAs} is the project file (Pulumi.yaml: name, runtime and the declared keys), not a stack file: give a stack's file, Pulumi.<stack>.yaml, e.g. Pulumi.example.yaml`,
        );
    }
    const config = (document as { config?: unknown } | null)?.config;
    if (
        !document ||
        typeof document !== "object" ||
        Array.isArray(document) ||
        !config ||
        typeof config !== "object" ||
        Array.isArray(config)
    ) {
        throw notStackFile("it has no `config:` map");
    }
    return config as Record<string, unknown>;
}

/** The file of stack `stack`, Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function stackFileOf(stack: string, root = projectRoot): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

/** The stack a file holds, by Pulumi's naming (`Pulumi.home.yaml` -> `home`), else the file's name (`lab.yaml` -> `lab`). */
export function stackNameOf(file: string): string {
    const base = path.basename(file);
    return /^Pulumi\.(.+)\.ya?ml$/.exec(base)?.[1] ?? base.replace(/\.ya?ml$/, "");
}

export function loadStackFile(file: string, standIn: SecretStandIn = planStandIn, root = projectRoot, shownAs = file): LoadedStack {
    const values = readStackFile(file, shownAs);
    return stackConfigFromObject(values, standIn, knownSecrets(values, root));
}
