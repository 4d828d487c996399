import * as ts from "typescript";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as talos from "@pulumiverse/talos";
import { referenceFile } from "../harness/reference";
import {
    Declarations,
    SCHEMA,
    SERVER,
    Schema,
    SchemaFunction,
    SchemaResource,
    VERSION,
    assertMembers,
    dtsFiles,
    everyInput,
    invokes,
    keys,
    readDeclarations,
    resourceClasses,
    rootDir,
    sdkDir,
    secretInputs,
    secretOutputs,
    sorted,
    tsName,
    tsType,
} from "./sdk-helpers";

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
                    assertMembers(
                        typings.get(`${name}Args`),
                        res.inputProperties ?? {},
                        (k, p) => ({ optional: !required.has(k), type: tsType(p, "input") }),
                        `${name}Args`,
                    );
                    assertMembers(
                        typings.get(`${name}State`),
                        res.stateInputs?.properties ?? {},
                        (_k, p) => ({ optional: true, type: tsType(p, "input") }),
                        `${name}State`,
                    );
                    assertMembers(
                        typings.get(name),
                        res.properties,
                        (k, p) => ({
                            optional: false,
                            type: `pulumi.Output<${tsType(p, "output")}${outputRequired.has(k) ? "" : " | undefined"}>`,
                        }),
                        name,
                    );
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
                    assertMembers(
                        typings.get(`${Name}Args`),
                        args,
                        (k, p) => ({ optional: !required.has(k), type: tsType(p, "plain") }),
                        `${Name}Args`,
                    );
                    assertMembers(
                        typings.get(`${Name}OutputArgs`),
                        args,
                        (k, p) => ({ optional: !required.has(k), type: tsType(p, "input") }),
                        `${Name}OutputArgs`,
                    );
                    assertMembers(
                        typings.get(`${Name}Result`),
                        def.outputs.properties ?? {},
                        (k, p) => ({ optional: !outputRequired.has(k), type: tsType(p, "output") }),
                        `${Name}Result`,
                    );
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
                    assertMembers(
                        members,
                        type.properties ?? {},
                        (k, p) => ({ optional: !required.has(k), type: tsType(p, flavor) }),
                        `${side}.${qualified}`,
                    );
                }
            }
        });

        it("declares every shape the typings refer to", () => {
            const declared = { inputs: readDeclarations(files.input), outputs: readDeclarations(files.output) };
            for (const file of dtsFiles(sdkDir)) {
                for (const m of fs.readFileSync(file, "utf8").matchAll(/\b(inputs|outputs)\.(\w+)\.(\w+)/g)) {
                    assert.ok(
                        declared[m[1] as "inputs" | "outputs"].has(`${m[2]}.${m[3]}`),
                        `${path.relative(sdkDir, file)}: ${m[0]} is not declared`,
                    );
                }
            }
        });

        it("type-checks on its own (the project's skipLibCheck does not look inside .d.ts files)", function () {
            this.timeout(60000);
            const files = dtsFiles(sdkDir);
            const program = ts.createProgram(files, {
                strict: true,
                noEmit: true,
                skipLibCheck: false,
                types: ["node"],
                module: ts.ModuleKind.Node16,
                moduleResolution: ts.ModuleResolutionKind.Node16,
                target: ts.ScriptTarget.ES2022,
            });
            // Only the SDK's own files: checking all of @pulumi/pulumi's typings would take seconds.
            const root = fs.realpathSync(sdkDir) + path.sep;
            const ours = program.getSourceFiles().filter((f) => fs.realpathSync(f.fileName).startsWith(root));
            assert.strictEqual(ours.length, files.length, "SDK files in the program");
            const problems = ours.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]);
            assert.deepStrictEqual(
                problems.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
                [],
            );
        });
    });

    describe("provider", () => {
        it("takes exactly the schema's provider config", () => {
            const provider = talos.Provider as unknown as { __inputs: readonly string[]; __outputs: readonly string[] };
            assert.deepStrictEqual(sorted(provider.__inputs), keys(schema.provider.inputProperties));
            assert.deepStrictEqual(sorted(provider.__outputs), keys(schema.provider.properties));
        });
    });
});
