import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, MockResourceArgs, MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import * as talos from "@pulumiverse/talos";
import { referenceFile } from "../harness/reference";

// Holds the hand-written Talos SDK (sdks/talos) to the upstream provider schema: every token, every
// property name and type it declares, which inputs are required, what is secret, and that every
// resource and invoke asks the engine for plugin talos 0.8.1 from github://api.github.com/pulumiverse.
// The SDK's own frozen name lists (`__inputs`, `__outputs`, ...) and its .d.ts typings are what is
// compared, so nothing here restates the schema by hand.

const SCHEMA = "pulumi-talos/v0.8.1/schema.json";
const VERSION = "0.8.1";
const SERVER = "github://api.github.com/pulumiverse";
const sdkDir = path.dirname(require.resolve("@pulumiverse/talos/package.json"));
const rootDir = path.resolve(__dirname, "../..");

// ---- The schema, as far as these checks read it -------------------------------------------------

interface Prop { type?: string; items?: Prop; $ref?: string; secret?: boolean }
interface ObjectType { properties?: Record<string, Prop>; required?: string[] }
interface SchemaResource {
    properties: Record<string, Prop>;
    required?: string[];
    inputProperties?: Record<string, Prop>;
    requiredInputs?: string[];
    stateInputs?: ObjectType;
}
interface SchemaFunction { inputs?: ObjectType; outputs: ObjectType }
interface Schema {
    name: string;
    pluginDownloadURL: string;
    provider: { properties?: Record<string, Prop>; inputProperties?: Record<string, Prop> };
    resources: Record<string, SchemaResource>;
    functions: Record<string, SchemaFunction>;
    types: Record<string, ObjectType>;
}

/** `#/types/<token>`; some upstream refs drop the slash (`#types/<token>`). */
const refToken = (ref: string): string => ref.replace(/^#\/?types\//, "");

const keys = (o: object | undefined): string[] => Object.keys(o ?? {}).sort();
const sorted = (list: readonly string[] | undefined): string[] => [...(list ?? [])].sort();

/** True when the property, or anything inside its type, is marked secret. */
function holdsSecret(schema: Schema, prop: Prop, seen = new Set<string>()): boolean {
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
const secretOutputs = (schema: Schema, props: Record<string, Prop>): string[] =>
    Object.keys(props).filter((k) => holdsSecret(schema, props[k])).sort();

/** Inputs the schema marks secret themselves: the ones the SDK wraps in pulumi.secret. */
const secretInputs = (props: Record<string, Prop> | undefined): string[] =>
    Object.keys(props ?? {}).filter((k) => props![k].secret).sort();

/** The SDK name of a schema type: its module (lower-cased, as the SDK folders are) and capitalised name. */
function tsName(token: string): { ns: string; name: string } {
    const [, modPath, name] = token.split(":");
    return { ns: modPath.split("/")[0].toLowerCase(), name: name[0].toUpperCase() + name.slice(1) };
}

/**
 * The TypeScript type generated SDKs give a schema property: `plain` for invoke arguments and
 * results, `input` (pulumi.Input all the way down, `FooArgs` objects) for resource and Output-form
 * invoke arguments, `output` for the shapes inside resource Outputs.
 */
function tsType(prop: Prop, flavor: "plain" | "input" | "output"): string {
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

interface ResourceClass {
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
interface InvokeFn {
    (args: unknown, opts?: pulumi.InvokeOptions): Promise<Record<string, unknown>>;
    __token: string;
    __inputs: readonly string[];
    __outputs: readonly string[];
    __requiredInputs: readonly string[];
    __secretOutputs: readonly string[];
}
type OutputFn = (args: unknown, opts?: pulumi.InvokeOutputOptions) => pulumi.Output<Record<string, unknown>>;

const modules: Record<string, Record<string, unknown>> = {
    machine: talos.machine,
    cluster: talos.cluster,
    client: talos.client,
    imagefactory: talos.imagefactory,
};

/** Every resource class the SDK exports, found by its `__pulumiType`. */
const resourceClasses = Object.entries(modules).flatMap(([ns, mod]) =>
    Object.entries(mod)
        .filter(([, v]) => typeof v === "function" && "__pulumiType" in v)
        .map(([name, cls]) => ({ ns, name, cls: cls as ResourceClass })),
);

/** Every invoke the SDK exports, found by its `__token`, with its Output form. */
const invokes = Object.entries(modules).flatMap(([ns, mod]) =>
    Object.entries(mod)
        .filter(([, v]) => typeof v === "function" && "__token" in v)
        .map(([name, fn]) => ({ ns, name, fn: fn as InvokeFn, output: mod[`${name}Output`] as OutputFn })),
);

// ---- The SDK's .d.ts typings, read with the TypeScript parser -------------------------------------

/** Every .d.ts file under dir. */
const dtsFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() && e.name !== "node_modules" ? dtsFiles(path.join(dir, e.name)) : e.name.endsWith(".d.ts") ? [path.join(dir, e.name)] : []);

interface Member { optional: boolean; type: string }
type Declarations = Map<string, Map<string, Member>>;
const squash = (text: string): string => text.replace(/\s+/g, "");

/** Interfaces and classes (their instance properties) of one .d.ts, keyed `ns.Name` or `Name`. */
function readDeclarations(file: string): Declarations {
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
function assertMembers(
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

interface Sent { kind: "register" | "read" | "invoke"; token: string; name: string; version: string; server: string; secretOutputs: string[]; secretInputs: string[] }

/** The parts of the monitor's gRPC requests (register, read, invoke) that the recorder reads. */
interface Struct { toJavaScript(): Record<string, unknown> }
interface MonitorRequest {
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
type Callback = (err: unknown, resp: unknown) => void;

/** Names of the top-level values sent as secrets in a request's property struct. */
function sentSecrets(struct: Struct | undefined): string[] {
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
function recordingMonitor(schema: Schema): { monitor: MockMonitor; sent: Sent[] } {
    const sent: Sent[] = [];
    const pendingSecrets = new Map<string, string[]>();
    const fill = (names: string[], inputs: Record<string, unknown>): Record<string, unknown> =>
        Object.fromEntries(names.map((k) => [k, inputs[k] ?? `mock-${k}`]));
    const mocks = {
        newResource(args: MockResourceArgs) {
            const props = args.type === "pulumi:providers:talos" ? schema.provider.properties : schema.resources[args.type]?.properties;
            const state = fill(keys(props), args.inputs);
            for (const k of pendingSecrets.get(`${args.type}::${args.name}`) ?? []) state[k] = pulumi.secret(state[k]);
            return { id: `${args.name}-id`, state };
        },
        call(args: MockCallArgs) {
            return fill(keys(schema.functions[args.token]?.outputs.properties), args.inputs);
        },
    };
    class Recording extends MockMonitor {
        private record(kind: Sent["kind"], req: MonitorRequest, token: string, props: Struct | undefined): void {
            const secretOutputs = sorted(req.getAdditionalsecretoutputsList?.());
            const name = req.getName?.() ?? "";
            pendingSecrets.set(`${token}::${name}`, secretOutputs);
            sent.push({ kind, token, name, version: req.getVersion(), server: req.getPlugindownloadurl(), secretOutputs, secretInputs: sentSecrets(props) });
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
const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

/** Placeholder arguments naming every declared input, so every input is sent (types do not matter to mocks). */
const everyInput = (names: readonly string[]): Record<string, string> => Object.fromEntries(names.map((k) => [k, `in-${k}`]));

// ---- The checks ---------------------------------------------------------------------------------

describe("sdks/talos (@pulumiverse/talos) against the provider schema", function () {
    let schema: Schema;

    before(function () {
        schema = JSON.parse(fs.readFileSync(referenceFile(SCHEMA, this), "utf8")) as Schema;
    });

    describe("package", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8"));

        it("is @pulumiverse/talos 0.8.1 with the plugin block `pulumi install` reads", () => {
            assert.strictEqual(pkg.name, "@pulumiverse/talos");
            assert.strictEqual(pkg.version, VERSION);
            assert.strictEqual(pkg.main, "index.js");
            assert.strictEqual(pkg.types, "index.d.ts");
            assert.deepStrictEqual(pkg.pulumi, { resource: true, name: schema.name, version: VERSION, server: schema.pluginDownloadURL });
            assert.strictEqual(schema.pluginDownloadURL, SERVER);
        });

        it("shares the root project's only copy of @pulumi/pulumi", () => {
            assert.deepStrictEqual(pkg.peerDependencies, { "@pulumi/pulumi": "^3.142.0" });
            assert.strictEqual(pkg.dependencies, undefined);
            const fromSdk = require.resolve("@pulumi/pulumi", { paths: [sdkDir] });
            assert.strictEqual(fromSdk, require.resolve("@pulumi/pulumi", { paths: [rootDir] }));
            assert.ok(fromSdk.startsWith(path.join(rootDir, "node_modules") + path.sep), fromSdk);
        });

        it("is linked from the root project as file:sdks/talos", () => {
            const root = JSON.parse(fs.readFileSync(path.join(rootDir, "package.json"), "utf8"));
            assert.strictEqual(root.dependencies["@pulumiverse/talos"], "file:sdks/talos");
            assert.ok(fs.lstatSync(path.join(rootDir, "node_modules/@pulumiverse/talos")).isSymbolicLink());
            assert.strictEqual(fs.realpathSync(sdkDir), path.join(rootDir, "sdks/talos"));
        });

        it("exports the upstream module layout and tokens", () => {
            assert.deepStrictEqual(resourceClasses.map((r) => `${r.ns}.${r.name} ${r.cls.__pulumiType}`).sort(), [
                "cluster.Kubeconfig talos:cluster/kubeconfig:Kubeconfig",
                "imagefactory.Schematic talos:imageFactory/schematic:Schematic",
                "machine.Bootstrap talos:machine/bootstrap:Bootstrap",
                "machine.ConfigurationApply talos:machine/configurationApply:ConfigurationApply",
                "machine.Secrets talos:machine/secrets:Secrets",
            ]);
            assert.deepStrictEqual(invokes.map((f) => `${f.ns}.${f.name} ${f.fn.__token}`).sort(), [
                "client.getConfiguration talos:client/getConfiguration:getConfiguration",
                "cluster.getHealth talos:cluster/getHealth:getHealth",
                "imagefactory.getUrls talos:imageFactory/getUrls:getUrls",
                "machine.getConfiguration talos:machine/getConfiguration:getConfiguration",
            ]);
            for (const f of invokes) assert.strictEqual(typeof f.output, "function", `${f.ns}.${f.name}Output`);
            assert.strictEqual((talos.Provider as unknown as { __pulumiType: string }).__pulumiType, schema.name);
        });
    });

    describe("resources", () => {
        for (const { ns, name, cls } of resourceClasses) {
            const token = cls.__pulumiType;
            describe(`${ns}.${name} (${token})`, () => {
                let res: SchemaResource;
                let typings: Declarations;
                before(() => {
                    res = schema.resources[token];
                    assert.ok(res, `${token} is not a resource of the schema`);
                    typings = readDeclarations(path.join(sdkDir, ns, `${token.split(":")[1].split("/")[1]}.d.ts`));
                });

                it("sends exactly the schema's input properties and reads back all of its properties", () => {
                    assert.deepStrictEqual(sorted(cls.__inputs), keys(res.inputProperties));
                    assert.deepStrictEqual(sorted(cls.__outputs), keys(res.properties));
                    // `get` reads state through __outputs: it must be the schema's state too.
                    assert.deepStrictEqual(keys(res.stateInputs?.properties), keys(res.properties));
                });

                it("requires the schema's required inputs", () => {
                    assert.deepStrictEqual(sorted(cls.__requiredInputs), sorted(res.requiredInputs));
                    for (const missing of cls.__requiredInputs) {
                        const args = everyInput(cls.__inputs.filter((k) => k !== missing));
                        assert.throws(() => new cls(`missing-${missing}`, args), new RegExp(`Missing required property '${missing}'`));
                    }
                });

                it("marks the schema's secrets", () => {
                    assert.deepStrictEqual(sorted(cls.__secretInputs), secretInputs(res.inputProperties));
                    assert.deepStrictEqual(sorted(cls.__secretOutputs), secretOutputs(schema, res.properties));
                });

                it("types its args, state and output properties as the schema does", () => {
                    const required = new Set(res.requiredInputs ?? []);
                    const outputRequired = new Set(res.required ?? []);
                    assertMembers(typings.get(`${name}Args`), res.inputProperties ?? {},
                        (k, p) => ({ optional: !required.has(k), type: tsType(p, "input") }), `${name}Args`);
                    assertMembers(typings.get(`${name}State`), res.stateInputs?.properties ?? {},
                        (_k, p) => ({ optional: true, type: tsType(p, "input") }), `${name}State`);
                    assertMembers(typings.get(name), res.properties,
                        (k, p) => ({ optional: false, type: `pulumi.Output<${tsType(p, "output")}${outputRequired.has(k) ? "" : " | undefined"}>` }), name);
                });
            });
        }
    });

    describe("invokes", () => {
        for (const { ns, name, fn } of invokes) {
            describe(`${ns}.${name} (${fn.__token})`, () => {
                let def: SchemaFunction;
                let typings: Declarations;
                const Name = name[0].toUpperCase() + name.slice(1);
                before(() => {
                    def = schema.functions[fn.__token];
                    assert.ok(def, `${fn.__token} is not a function of the schema`);
                    typings = readDeclarations(path.join(sdkDir, ns, `${name}.d.ts`));
                });

                it("sends exactly the schema's inputs and declares all of its outputs", () => {
                    assert.deepStrictEqual(sorted(fn.__inputs), keys(def.inputs?.properties));
                    assert.deepStrictEqual(sorted(fn.__outputs), keys(def.outputs.properties));
                    assert.deepStrictEqual(sorted(fn.__requiredInputs), sorted(def.inputs?.required));
                    assert.deepStrictEqual(sorted(fn.__secretOutputs), secretOutputs(schema, def.outputs.properties ?? {}));
                });

                it("types its args and result as the schema does", () => {
                    const required = new Set(def.inputs?.required ?? []);
                    const outputRequired = new Set(def.outputs.required ?? []);
                    const args = def.inputs?.properties ?? {};
                    assertMembers(typings.get(`${Name}Args`), args, (k, p) => ({ optional: !required.has(k), type: tsType(p, "plain") }), `${Name}Args`);
                    assertMembers(typings.get(`${Name}OutputArgs`), args, (k, p) => ({ optional: !required.has(k), type: tsType(p, "input") }), `${Name}OutputArgs`);
                    assertMembers(typings.get(`${Name}Result`), def.outputs.properties ?? {},
                        (k, p) => ({ optional: !outputRequired.has(k), type: tsType(p, "output") }), `${Name}Result`);
                });
            });
        }
    });

    describe("object types", () => {
        const files = { input: path.join(sdkDir, "types/input.d.ts"), output: path.join(sdkDir, "types/output.d.ts") };

        it("declares each nested shape with the schema type's fields, types and required-ness", () => {
            const byName = new Map(Object.keys(schema.types).map((t) => [`${tsName(t).ns}.${tsName(t).name}`, t]));
            assert.strictEqual(byName.size, Object.keys(schema.types).length, "two schema types map to one SDK name");
            for (const [side, file] of Object.entries(files)) {
                for (const [qualified, members] of readDeclarations(file)) {
                    const isArgs = side === "input" && qualified.endsWith("Args");
                    const token = byName.get(isArgs ? qualified.slice(0, -"Args".length) : qualified);
                    assert.ok(token, `types/${side}.d.ts ${qualified} matches no schema type`);
                    const type = schema.types[token];
                    const required = new Set(type.required ?? []);
                    const flavor = side === "output" ? "output" : isArgs ? "input" : "plain";
                    assertMembers(members, type.properties ?? {}, (k, p) => ({ optional: !required.has(k), type: tsType(p, flavor) }), `${side}.${qualified}`);
                }
            }
        });

        it("declares every shape the typings refer to", () => {
            const declared = { inputs: readDeclarations(files.input), outputs: readDeclarations(files.output) };
            for (const file of dtsFiles(sdkDir)) {
                for (const m of fs.readFileSync(file, "utf8").matchAll(/\b(inputs|outputs)\.(\w+)\.(\w+)/g)) {
                    assert.ok(declared[m[1] as "inputs" | "outputs"].has(`${m[2]}.${m[3]}`), `${path.relative(sdkDir, file)}: ${m[0]} is not declared`);
                }
            }
        });

        it("type-checks on its own (the project's skipLibCheck does not look inside .d.ts files)", function () {
            this.timeout(60000);
            const files = dtsFiles(sdkDir);
            const program = ts.createProgram(files, {
                strict: true, noEmit: true, skipLibCheck: false, types: ["node"],
                module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, target: ts.ScriptTarget.ES2022,
            });
            // Only the SDK's own files: checking all of @pulumi/pulumi's typings would take seconds.
            const root = fs.realpathSync(sdkDir) + path.sep;
            const ours = program.getSourceFiles().filter((f) => fs.realpathSync(f.fileName).startsWith(root));
            assert.strictEqual(ours.length, files.length, "SDK files in the program");
            const problems = ours.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]);
            assert.deepStrictEqual(problems.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`), []);
        });
    });

    describe("provider", () => {
        it("takes exactly the schema's provider config", () => {
            const provider = talos.Provider as unknown as { __inputs: readonly string[]; __outputs: readonly string[] };
            assert.deepStrictEqual(sorted(provider.__inputs), keys(schema.provider.inputProperties));
            assert.deepStrictEqual(sorted(provider.__outputs), keys(schema.provider.properties));
        });
    });

    describe("under mocks", () => {
        let sent: Sent[];

        before(async () => {
            const recording = recordingMonitor(schema);
            sent = recording.sent;
            // setMocks cannot take a monitor, so the recording one is installed with setMockOptions,
            // which resets the feature flags (secrets, resource references) to off. A real program
            // start sets them by asking the monitor (awaitFeatureSupport, @internal but exported);
            // without it secrets would travel as plain values and nothing here could be checked.
            pulumi.runtime.setMockOptions(recording.monitor, "homelab", "test");
            const runtime = pulumi.runtime as unknown as { awaitFeatureSupport?: () => Promise<void> };
            assert.strictEqual(typeof runtime.awaitFeatureSupport, "function", "@pulumi/pulumi no longer exports awaitFeatureSupport");
            await runtime.awaitFeatureSupport!();
        });

        const assertPlugin = (entries: Sent[], what: string, count: number): void => {
            assert.strictEqual(entries.length, count, `${what}: requests seen`);
            for (const e of entries) assert.deepStrictEqual({ version: e.version, server: e.server }, { version: VERSION, server: SERVER }, what);
        };

        for (const { ns, name, cls } of resourceClasses) {
            it(`${ns}.${name} asks for talos ${VERSION} and returns its secret outputs as secrets`, async () => {
                const res = new cls(`mock-${name}`, everyInput(cls.__inputs));
                await valueOf(res.urn);
                const reg = sent.filter((s) => s.kind === "register" && s.token === cls.__pulumiType && s.name === `mock-${name}`);
                assertPlugin(reg, cls.__pulumiType, 1);
                const schemaProps = schema.resources[cls.__pulumiType].properties;
                const wantSecret = secretOutputs(schema, schemaProps);
                assert.deepStrictEqual(reg[0].secretOutputs, wantSecret, "additionalSecretOutputs");
                assert.deepStrictEqual(reg[0].secretInputs, secretInputs(schema.resources[cls.__pulumiType].inputProperties), "inputs sent as secrets");
                const outputs = res as unknown as Record<string, pulumi.Output<unknown>>;
                for (const k of Object.keys(schemaProps)) {
                    assert.ok(pulumi.Output.isInstance(outputs[k]), `${name}.${k} is not an Output`);
                    assert.strictEqual(await pulumi.isSecret(outputs[k]), wantSecret.includes(k), `${name}.${k} secret`);
                }
                assert.ok(cls.isInstance(res));
                assert.ok(!cls.isInstance({}));
            });

            it(`${ns}.${name}.get reads state with talos ${VERSION} and the same secret outputs`, async () => {
                const res = cls.get(`got-${name}`, `got-${name}-id`);
                await valueOf(res.urn);
                const read = sent.filter((s) => s.kind === "read" && s.token === cls.__pulumiType && s.name === `got-${name}`);
                assertPlugin(read, `${cls.__pulumiType} get`, 1);
                assert.deepStrictEqual(read[0].secretOutputs, secretOutputs(schema, schema.resources[cls.__pulumiType].properties), "additionalSecretOutputs");
            });
        }

        for (const { ns, name, fn, output } of invokes) {
            it(`${ns}.${name} and ${name}Output ask for talos ${VERSION}; the Output is secret when the result holds secrets`, async () => {
                const before = sent.length;
                const args = everyInput(fn.__inputs);
                const plain = await fn(args);
                const result = output(args);
                const value = await valueOf(result);
                assertPlugin(sent.slice(before).filter((s) => s.token === fn.__token), fn.__token, 2);
                assert.deepStrictEqual(keys(plain), keys(schema.functions[fn.__token].outputs.properties));
                assert.deepStrictEqual(keys(value), keys(plain));
                const holdsSecrets = secretOutputs(schema, schema.functions[fn.__token].outputs.properties ?? {}).length > 0;
                assert.strictEqual(await pulumi.isSecret(result), holdsSecrets);
            });
        }

        it(`the explicit Provider registers as pulumi:providers:talos with talos ${VERSION}`, async () => {
            const provider = new talos.Provider("mock-provider", { imageFactoryUrl: "https://factory.example" });
            await valueOf(provider.urn);
            assertPlugin(sent.filter((s) => s.kind === "register" && s.token === "pulumi:providers:talos"), "provider", 1);
            assert.ok(talos.Provider.isInstance(provider));
        });

        it("supports the program's call pattern, typed as the program writes it", async () => {
            const version = "v1.13.9";
            const secrets = new talos.machine.Secrets("cluster", { talosVersion: version });
            const controlplane = talos.machine.getConfigurationOutput({
                clusterName: "home",
                clusterEndpoint: "https://10.0.0.10:6443",
                machineType: "controlplane",
                machineSecrets: secrets.machineSecrets,
                talosVersion: version,
                configPatches: [pulumi.output("machine: {}")],
            });
            const apply = new talos.machine.ConfigurationApply("cp-1", {
                clientConfiguration: secrets.clientConfiguration,
                machineConfigurationInput: controlplane.machineConfiguration,
                node: "10.0.0.11",
                onDestroy: { reset: true, graceful: false },
                timeouts: { create: "10m" },
            });
            const bootstrap = new talos.machine.Bootstrap("bootstrap", { clientConfiguration: secrets.clientConfiguration, node: "10.0.0.11" }, { dependsOn: [apply] });
            const kubeconfig = new talos.cluster.Kubeconfig("kubeconfig", { clientConfiguration: secrets.clientConfiguration, node: "10.0.0.11" }, { dependsOn: [bootstrap] });
            const health = talos.cluster.getHealthOutput(
                { clientConfiguration: secrets.clientConfiguration, controlPlaneNodes: ["10.0.0.11"], endpoints: ["10.0.0.11"], timeouts: { read: "10m" } },
                { dependsOn: [kubeconfig] },
            );
            const talosconfig = talos.client.getConfigurationOutput({ clusterName: "home", clientConfiguration: secrets.clientConfiguration, endpoints: ["10.0.0.11"] });
            const schematic = new talos.imagefactory.Schematic("schematic", { schematic: "customization: {}" });
            const urls = talos.imagefactory.getUrlsOutput({ schematicId: schematic.id, talosVersion: version, platform: "nocloud" });
            const iso: pulumi.Output<string> = urls.urls.iso;

            assert.ok(await pulumi.isSecret(controlplane.machineConfiguration));
            assert.ok(await pulumi.isSecret(apply.machineConfigurationInput));
            assert.ok(await pulumi.isSecret(kubeconfig.kubeconfigRaw));
            assert.ok(await pulumi.isSecret(talosconfig.talosConfig));
            assert.ok(await pulumi.isSecret(health.id));
            assert.ok(!(await pulumi.isSecret(iso)));
            assert.strictEqual(await valueOf(schematic.id), "schematic-id");
            assert.ok(talos.machine.Secrets.isInstance(secrets));
        });
    });
});
