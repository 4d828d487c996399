// Shared by the sdks/talos specs: the provider schema's shapes and what the SDK declares.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "../../tools/offline/pulumi-internals";
import * as talos from "@pulumiverse/talos";

// Holds the hand-written Talos SDK (sdks/talos) to the upstream provider schema: every token, every
// property name and type it declares, which inputs are required, what is secret, and that every
// resource and invoke asks the engine for plugin talos 0.8.1 from github://api.github.com/pulumiverse.
// The SDK's own frozen name lists (`__inputs`, `__outputs`, ...) and its .d.ts typings are what is
// compared, so nothing here restates the schema by hand.

export const SCHEMA = "pulumi-talos/v0.8.1/schema.json";
export const VERSION = "0.8.1";
export const SERVER = "github://api.github.com/pulumiverse";
export const sdkDir = path.dirname(require.resolve("@pulumiverse/talos/package.json"));
export const rootDir = path.resolve(__dirname, "../..");

// ---- The schema, as far as these checks read it -------------------------------------------------

export interface Prop {
    type?: string;
    items?: Prop;
    $ref?: string;
    secret?: boolean;
}
export interface ObjectType {
    properties?: Record<string, Prop>;
    required?: string[];
}
export interface SchemaResource {
    properties: Record<string, Prop>;
    required?: string[];
    inputProperties?: Record<string, Prop>;
    requiredInputs?: string[];
    stateInputs?: ObjectType;
}
export interface SchemaFunction {
    inputs?: ObjectType;
    outputs: ObjectType;
}
export interface Schema {
    name: string;
    pluginDownloadURL: string;
    provider: { properties?: Record<string, Prop>; inputProperties?: Record<string, Prop> };
    resources: Record<string, SchemaResource>;
    functions: Record<string, SchemaFunction>;
    types: Record<string, ObjectType>;
}

/** `#/types/<token>`; some upstream refs drop the slash (`#types/<token>`). */
export const refToken = (ref: string): string => ref.replace(/^#\/?types\//, "");

export const keys = (o: object | undefined): string[] => Object.keys(o ?? {}).sort();
export const sorted = (list: readonly string[] | undefined): string[] => [...(list ?? [])].sort();

/** True when the property, or anything inside its type, is marked secret. */
export function holdsSecret(schema: Schema, prop: Prop, seen = new Set<string>()): boolean {
    if (prop.secret) return true;
    if (prop.items) return holdsSecret(schema, prop.items, seen);
    if (!prop.$ref) return false;
    const token = refToken(prop.$ref);
    if (seen.has(token)) return false;
    seen.add(token);
    return Object.values(schema.types[token]?.properties ?? {}).some((p) => holdsSecret(schema, p, seen));
}

/**
 * Outputs the SDK must mark secret: those the schema marks, plus objects the schema marks only a
 * field of (clientConfiguration.clientKey, machineSecrets.*): the field alone cannot be marked.
 */
export const secretOutputs = (schema: Schema, props: Record<string, Prop>): string[] =>
    Object.keys(props)
        .filter((k) => holdsSecret(schema, props[k]))
        .sort();

/** Inputs the schema marks secret themselves: the ones the SDK wraps in pulumi.secret. */
export const secretInputs = (props: Record<string, Prop> | undefined): string[] =>
    Object.keys(props ?? {})
        .filter((k) => props![k].secret)
        .sort();

/** The SDK name of a schema type: its module (lower-cased, as the SDK folders are) and capitalised name. */
export function tsName(token: string): { ns: string; name: string } {
    const [, modPath, name] = token.split(":");
    return { ns: modPath.split("/")[0].toLowerCase(), name: name[0].toUpperCase() + name.slice(1) };
}

/**
 * The TypeScript type generated SDKs give a schema property: `plain` for invoke arguments and
 * results, `input` (pulumi.Input all the way down, `FooArgs` objects) for resource and Output-form
 * invoke arguments, `output` for the shapes inside resource Outputs.
 */
export function tsType(prop: Prop, flavor: "plain" | "input" | "output"): string {
    if (prop.$ref) {
        const { ns, name } = tsName(refToken(prop.$ref));
        if (flavor === "input") return `pulumi.Input<inputs.${ns}.${name}Args>`;
        return `${flavor === "output" ? "outputs" : "inputs"}.${ns}.${name}`;
    }
    if (prop.type === "array") {
        const item = tsType(prop.items!, flavor);
        return flavor === "input" ? `pulumi.Input<${item}[]>` : `${item}[]`;
    }
    const primitive = ({ string: "string", boolean: "boolean", integer: "number", number: "number" } as Record<string, string>)[prop.type!];
    assert.ok(primitive, `unhandled schema type ${prop.type}`);
    return flavor === "input" ? `pulumi.Input<${primitive}>` : primitive;
}

// ---- What the SDK declares ----------------------------------------------------------------------

export interface ResourceClass {
    new (name: string, args?: unknown, opts?: pulumi.CustomResourceOptions): pulumi.CustomResource;
    __pulumiType: string;
    __inputs: readonly string[];
    __outputs: readonly string[];
    __requiredInputs: readonly string[];
    __secretInputs: readonly string[];
    __secretOutputs: readonly string[];
    get(name: string, id: string, state?: unknown, opts?: pulumi.CustomResourceOptions): pulumi.CustomResource;
    isInstance(obj: unknown): boolean;
}
export interface InvokeFn {
    (args: unknown, opts?: pulumi.InvokeOptions): Promise<Record<string, unknown>>;
    __token: string;
    __inputs: readonly string[];
    __outputs: readonly string[];
    __requiredInputs: readonly string[];
    __secretOutputs: readonly string[];
}
export type OutputFn = (args: unknown, opts?: pulumi.InvokeOutputOptions) => pulumi.Output<Record<string, unknown>>;

export const modules: Record<string, Record<string, unknown>> = {
    machine: talos.machine,
    cluster: talos.cluster,
    client: talos.client,
    imagefactory: talos.imagefactory,
};

/** Every resource class the SDK exports, found by its `__pulumiType`. */
export const resourceClasses = Object.entries(modules).flatMap(([ns, mod]) =>
    Object.entries(mod)
        .filter(([, v]) => typeof v === "function" && "__pulumiType" in v)
        .map(([name, cls]) => ({ ns, name, cls: cls as ResourceClass })),
);

/** Every invoke the SDK exports, found by its `__token`, with its Output form. */
export const invokes = Object.entries(modules).flatMap(([ns, mod]) =>
    Object.entries(mod)
        .filter(([, v]) => typeof v === "function" && "__token" in v)
        .map(([name, fn]) => ({ ns, name, fn: fn as InvokeFn, output: mod[`${name}Output`] as OutputFn })),
);

// ---- The SDK's .d.ts typings, read with the TypeScript parser -------------------------------------

/** Every .d.ts file under dir. */
export const dtsFiles = (dir: string): string[] =>
    fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory() && e.name !== "node_modules"
                ? dtsFiles(path.join(dir, e.name))
                : e.name.endsWith(".d.ts")
                  ? [path.join(dir, e.name)]
                  : [],
        );

export interface Member {
    optional: boolean;
    type: string;
}
export type Declarations = Map<string, Map<string, Member>>;
export const squash = (text: string): string => text.replace(/\s+/g, "");

/** Interfaces and classes (their instance properties) of one .d.ts, keyed `ns.Name` or `Name`. */
export function readDeclarations(file: string): Declarations {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const found: Declarations = new Map();
    const visit = (node: ts.Node, prefix: string): void => {
        if (ts.isModuleDeclaration(node) && node.body && ts.isModuleBlock(node.body)) {
            node.body.statements.forEach((s) => visit(s, `${prefix}${node.name.getText(source)}.`));
        } else if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
            const members = new Map<string, Member>();
            for (const m of node.members) {
                if (!(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) || !m.type) continue;
                if (ts.getCombinedModifierFlags(m as ts.Declaration) & ts.ModifierFlags.Static) continue;
                members.set(m.name.getText(source), { optional: !!m.questionToken, type: squash(m.type.getText(source)) });
            }
            found.set(prefix + node.name.text, members);
        }
    };
    source.statements.forEach((s) => visit(s, ""));
    return found;
}

/** Asserts one interface/class declares exactly the schema properties, with their types and optionality. */
export function assertMembers(
    declared: Map<string, Member> | undefined,
    props: Record<string, Prop>,
    expected: (name: string, prop: Prop) => Member,
    where: string,
): void {
    assert.ok(declared, `${where} is not declared`);
    assert.deepStrictEqual(sorted([...declared.keys()]), keys(props), `${where}: property names`);
    for (const [name, prop] of Object.entries(props)) {
        const want = expected(name, prop);
        assert.deepStrictEqual(declared.get(name), { ...want, type: squash(want.type) }, `${where}.${name}`);
    }
}

// ---- A mock monitor that records what the SDK sends ----------------------------------------------

export interface Sent {
    kind: "register" | "read" | "invoke";
    token: string;
    name: string;
    version: string;
    server: string;
    secretOutputs: string[];
    secretInputs: string[];
}

/** The parts of the monitor's gRPC requests (register, read, invoke) that the recorder reads. */
export interface Struct {
    toJavaScript(): Record<string, unknown>;
}
export interface MonitorRequest {
    getVersion(): string;
    getPlugindownloadurl(): string;
    getType?(): string;
    getName?(): string;
    getTok?(): string;
    getAdditionalsecretoutputsList?(): string[];
    getObject?(): Struct;
    getProperties?(): Struct;
    getArgs?(): Struct;
}
export type Callback = (err: unknown, resp: unknown) => void;

/** Names of the top-level values sent as secrets in a request's property struct. */
export function sentSecrets(struct: Struct | undefined): string[] {
    const raw = struct?.toJavaScript() ?? {};
    return Object.keys(raw)
        .filter((k) => pulumi.runtime.isRpcSecret(raw[k]))
        .sort();
}

/**
 * A MockMonitor that records each request's version, pluginDownloadURL and secrets, and stands in
 * for the engine by marking the requested additionalSecretOutputs secret in the returned state
 * (the stock MockMonitor ignores them). Resource state and invoke results echo the inputs and fill
 * every other schema output with a placeholder, so every output has a value to be secret or not.
 */
export function recordingMonitor(schema: Schema): { monitor: MockMonitor; sent: Sent[] } {
    const sent: Sent[] = [];
    const pendingSecrets = new Map<string, string[]>();
    const fill = (names: string[], inputs: Record<string, unknown>): Record<string, unknown> =>
        Object.fromEntries(names.map((k) => [k, inputs[k] ?? `mock-${k}`]));
    const mocks = {
        newResource(args: pulumi.runtime.MockResourceArgs) {
            const props = args.type === "pulumi:providers:talos" ? schema.provider.properties : schema.resources[args.type]?.properties;
            const state = fill(keys(props), args.inputs);
            for (const k of pendingSecrets.get(`${args.type}::${args.name}`) ?? []) state[k] = pulumi.secret(state[k]);
            return { id: `${args.name}-id`, state };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            return fill(keys(schema.functions[args.token]?.outputs.properties), args.inputs);
        },
    };
    class Recording extends MockMonitor {
        private record(kind: Sent["kind"], req: MonitorRequest, token: string, props: Struct | undefined): void {
            const secretOutputs = sorted(req.getAdditionalsecretoutputsList?.());
            const name = req.getName?.() ?? "";
            pendingSecrets.set(`${token}::${name}`, secretOutputs);
            sent.push({
                kind,
                token,
                name,
                version: req.getVersion(),
                server: req.getPlugindownloadurl(),
                secretOutputs,
                secretInputs: sentSecrets(props),
            });
        }
        async registerResource(req: MonitorRequest, callback: Callback): Promise<void> {
            this.record("register", req, req.getType!(), req.getObject!());
            return super.registerResource(req, callback);
        }
        async readResource(req: MonitorRequest, callback: Callback): Promise<void> {
            this.record("read", req, req.getType!(), req.getProperties!());
            return super.readResource(req, callback);
        }
        async invoke(req: MonitorRequest, callback: Callback): Promise<void> {
            if (req.getTok!() !== "pulumi:pulumi:getResource") this.record("invoke", req, req.getTok!(), req.getArgs!());
            return super.invoke(req, callback);
        }
    }
    return { monitor: new Recording(mocks), sent };
}

/** An Output's value (mocks run as an update, so every value is known). */
export const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

/** Placeholder arguments naming every declared input, so every input is sent (types do not matter to mocks). */
export const everyInput = (names: readonly string[]): Record<string, string> => Object.fromEntries(names.map((k) => [k, `in-${k}`]));
