import * as assert from "assert";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as talos from "@pulumiverse/talos";
import { referenceFile } from "../harness/reference";
import {
    SCHEMA,
    SERVER,
    Schema,
    Sent,
    VERSION,
    everyInput,
    invokes,
    keys,
    recordingMonitor,
    resourceClasses,
    secretInputs,
    secretOutputs,
    valueOf,
} from "./sdk-helpers";

describe("sdks/talos (@pulumiverse/talos) under mocks", function () {
    let schema: Schema;

    before(function () {
        schema = JSON.parse(fs.readFileSync(referenceFile(SCHEMA, this), "utf8")) as Schema;
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
            for (const e of entries)
                assert.deepStrictEqual({ version: e.version, server: e.server }, { version: VERSION, server: SERVER }, what);
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
                assert.deepStrictEqual(
                    reg[0].secretInputs,
                    secretInputs(schema.resources[cls.__pulumiType].inputProperties),
                    "inputs sent as secrets",
                );
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
                assert.deepStrictEqual(
                    read[0].secretOutputs,
                    secretOutputs(schema, schema.resources[cls.__pulumiType].properties),
                    "additionalSecretOutputs",
                );
            });
        }

        for (const { ns, name, fn, output } of invokes) {
            it(`${ns}.${name} and ${name}Output ask for talos ${VERSION}; the Output is secret when the result holds secrets`, async () => {
                const before = sent.length;
                const args = everyInput(fn.__inputs);
                const plain = await fn(args);
                const result = output(args);
                const value = await valueOf(result);
                assertPlugin(
                    sent.slice(before).filter((s) => s.token === fn.__token),
                    fn.__token,
                    2,
                );
                assert.deepStrictEqual(keys(plain), keys(schema.functions[fn.__token].outputs.properties));
                assert.deepStrictEqual(keys(value), keys(plain));
                const holdsSecrets = secretOutputs(schema, schema.functions[fn.__token].outputs.properties ?? {}).length > 0;
                assert.strictEqual(await pulumi.isSecret(result), holdsSecrets);
            });
        }

        it(`the explicit Provider registers as pulumi:providers:talos with talos ${VERSION}`, async () => {
            const provider = new talos.Provider("mock-provider", { imageFactoryUrl: "https://factory.example" });
            await valueOf(provider.urn);
            assertPlugin(
                sent.filter((s) => s.kind === "register" && s.token === "pulumi:providers:talos"),
                "provider",
                1,
            );
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
            const bootstrap = new talos.machine.Bootstrap(
                "bootstrap",
                { clientConfiguration: secrets.clientConfiguration, node: "10.0.0.11" },
                { dependsOn: [apply] },
            );
            const kubeconfig = new talos.cluster.Kubeconfig(
                "kubeconfig",
                { clientConfiguration: secrets.clientConfiguration, node: "10.0.0.11" },
                { dependsOn: [bootstrap] },
            );
            const health = talos.cluster.getHealthOutput(
                {
                    clientConfiguration: secrets.clientConfiguration,
                    controlPlaneNodes: ["10.0.0.11"],
                    endpoints: ["10.0.0.11"],
                    timeouts: { read: "10m" },
                },
                { dependsOn: [kubeconfig] },
            );
            const talosconfig = talos.client.getConfigurationOutput({
                clusterName: "home",
                clientConfiguration: secrets.clientConfiguration,
                endpoints: ["10.0.0.11"],
            });
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
