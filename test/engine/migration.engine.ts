import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gunzipSync } from "zlib";
import { dnsTokenTerm } from "../../components/cloudflare/token-term";
import { customResourceTypes, dynamicResourceTypes } from "../../components/custom-resources";
import { tokenTerm } from "../../provider/token-term";
import { writeRequests } from "../dns/fake-servers";
import { EngineStack, StateResource, stepLines } from "./cli";
import { configureWorld, MigrationWorld, othersUpstreams, placeholders, replaceAll, startWorld, stopWorld } from "./migration-world";
import { runningVersions } from "./talos-fakes";

// A stack built when our custom resources were dynamic resources (fixtures/dynamic-era/: the state the migration
// program left with the code of main before issue 23, made by make-dynamic-era-fixture.ts), run with the provider
// plugin. The engine finds each resource by its alias (components/custom-resources.ts), asks the plugin's
// DiffConfig whether the change of provider replaces it (the Node.js provider server answers Unimplemented, which
// pulumi v3.248.0 reads as "no": sdk/go/common/resource/plugin/provider_plugin.go DiffConfig), then the plugin's
// diff, with the old outputs (`__provider` and all): every one is the same, nothing is dialed but the DNS servers'
// reads their diff makes, as before. Then the plugin serves them: an update, a rollout and a refresh.

const fixture = path.join(__dirname, "fixtures", "dynamic-era");
const ours =
    /^homelab:(talos:(TalosRollout|MaintenanceApply|KubernetesNode)|kubernetes:(ApiReady|NodesReady)|dns:\w+Forwarder|cloudflare:TokenTerm)$/;
const nameOf = (r: StateResource) => r.urn.slice(r.urn.lastIndexOf("::") + 2);

/** The fixture's state for this run: this run's ports and stack name, and a token term issued now (it would be
 *  due for renewal 60 days after the fixture was made, which is another test's business). */
function stateFor(world: MigrationWorld, stack: string): string {
    const text = replaceAll(
        gunzipSync(fs.readFileSync(path.join(fixture, "state.json.gz"))).toString("utf8"),
        placeholders(world, stack).map(([actual, placeholder]) => [placeholder, actual]),
    );
    const state = JSON.parse(text) as { deployment: { resources: StateResource[] } };
    const term = state.deployment.resources.find((r) => r.type === dynamicResourceTypes.TokenTerm)!;
    term.outputs = { ...term.outputs, ...tokenTerm(dnsTokenTerm, Date.now()) };
    return JSON.stringify(state);
}

describe("a stack built with the dynamic providers, run with the provider plugin", function () {
    this.timeout(600_000);
    let world: MigrationWorld | undefined;
    let engine: EngineStack | undefined;
    afterEach(async () => {
        await engine?.close();
        await stopWorld(world);
        [engine, world] = [undefined, undefined];
    });

    it("keeps every resource (no replace, create or delete of ours, nothing dialed), and the plugin serves them after", async function () {
        world = await startWorld(this);
        engine = await EngineStack.create("migration");
        // The fixture's salt: its secrets decrypt with the tests' passphrase.
        fs.writeFileSync(
            path.join(engine.programDir, `Pulumi.${engine.stack}.yaml`),
            `encryptionsalt: ${fs.readFileSync(path.join(fixture, "encryptionsalt"), "utf8")}`,
        );
        await configureWorld(engine, world);
        const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "homelab-migration-")), "state.json");
        fs.writeFileSync(stateFile, stateFor(world, engine.stack));
        await engine.expect(["stack", "import", "--file", stateFile, "--stack", engine.stack]);
        world.adguard.upstreams = [...othersUpstreams, "[/ragas.cc/]172.16.1.60"];
        world.technitium.zones = new Map([
            [
                "ragas.cc",
                {
                    type: "Forwarder",
                    records: [
                        {
                            forwarder: "172.16.1.60",
                            protocol: "Udp",
                            priority: 0,
                            dnssecValidation: false,
                            proxyType: "NoProxy",
                            disabled: false,
                            expiryTtl: 0,
                        } as never,
                    ],
                },
            ],
        ]);
        const before = (await engine.exportState()).resources;
        assert.deepEqual(before.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length, 10, "the fixture's dynamic resources");

        const preview = await engine.preview();
        const up = await engine.up();
        const after = (await engine.exportState()).resources;
        const dialed = {
            talos: [...world.talos.talos.calls],
            kubernetes: [...world.talos.kube.requests, ...world.api.requests],
            dnsWrites: writeRequests([...world.adguard.log, ...world.technitium.log]),
        };
        const outcome = {
            previewSteps: preview.steps.map((s) => `${s.op} ${s.type}`).sort(),
            previewSummary: preview.changeSummary,
            upCode: up.code,
            upSteps: stepLines(up.steps, { type: ours, withSame: true }),
            upOthers: up.steps
                .filter((s) => !ours.test(s.type) && s.op !== "same")
                .map((s) => `${s.op} ${s.type}`)
                .sort(),
            dialed,
            types: after
                .filter((r) => ours.test(r.type))
                .map((r) => `${nameOf(r)} ${r.type}`)
                .sort(),
            leftDynamic: after.filter((r) => r.type.includes("pulumi-nodejs")).map((r) => `${nameOf(r)} ${r.type}`),
            providers: [
                ...new Set(
                    after.filter((r) => ours.test(r.type)).map((r) => (r as StateResource & { provider: string }).provider.split("::")[2]),
                ),
            ],
        };
        const types = customResourceTypes;
        assert.deepEqual(
            outcome,
            {
                // Default providers are not shown; the stack's output is the token term's new date (stateFor).
                previewSteps: ["same pulumi:pulumi:Stack"],
                previewSummary: { same: 15 },
                upCode: 0,
                upSteps: [
                    "same home-dns-adguard",
                    "same home-dns-technitium",
                    "same home-edge-dns-token-term",
                    "same home-ready-nodes",
                    "same home-talos-api-ready",
                    "same home-talos-talos-cp-1-first-apply",
                    "same home-talos-talos-cp-1-node",
                    "same home-talos-talos-worker-1-first-apply",
                    "same home-talos-talos-worker-1-node",
                    "same home-talos-upgrade",
                ],
                // The default provider of package homelab (our plugin) replaces pulumi-nodejs' (the dynamic provider host).
                upOthers: ["create pulumi:providers:homelab", "delete pulumi:providers:pulumi-nodejs"],
                dialed: { talos: [], kubernetes: [], dnsWrites: [] },
                types: [
                    `home-dns-adguard ${types.AdguardForwarder}`,
                    `home-dns-technitium ${types.TechnitiumForwarder}`,
                    `home-edge-dns-token-term ${types.TokenTerm}`,
                    `home-ready-nodes ${types.KubernetesNodesReady}`,
                    `home-talos-api-ready ${types.KubernetesApiReady}`,
                    `home-talos-talos-cp-1-first-apply ${types.MaintenanceApply}`,
                    `home-talos-talos-cp-1-node ${types.KubernetesNode}`,
                    `home-talos-talos-worker-1-first-apply ${types.MaintenanceApply}`,
                    `home-talos-talos-worker-1-node ${types.KubernetesNode}`,
                    `home-talos-upgrade ${types.TalosRollout}`,
                ],
                leftDynamic: [],
                providers: ["pulumi:providers:homelab"],
            },
            up.stdout + up.stderr,
        );

        // The plugin serves the old state: a new target is an update of both forwarders; a Talos bump runs the rollout.
        await engine.setConfig({ target: "172.16.1.61" });
        const moved = await engine.up();
        assert.equal(moved.code, 0, moved.stdout + moved.stderr);
        assert.deepEqual(stepLines(moved.steps, { type: ours }), ["update home-dns-adguard", "update home-dns-technitium"]);
        assert.deepEqual(world.adguard.upstreams, [...othersUpstreams, "[/ragas.cc/]172.16.1.61"]);
        assert.deepEqual(
            world.technitium.zones.get("ragas.cc")?.records.map((r) => r.forwarder),
            ["172.16.1.61"],
        );
        await configureWorld(engine, world, "v1.14.0");
        await engine.setConfig({ target: "172.16.1.61" });
        const bumped = await engine.up();
        assert.equal(bumped.code, 0, bumped.stdout + bumped.stderr);
        assert.deepEqual(stepLines(bumped.steps, { type: ours }), ["update home-talos-upgrade"]);
        assert.deepEqual(runningVersions(world.talos), { "talos-cp-1": "v1.14.0", "talos-worker-1": "v1.14.0" });
        const refreshed = await engine.refresh();
        assert.equal(refreshed.code, 0, refreshed.stdout + refreshed.stderr);
        assert.deepEqual((await engine.preview()).changeSummary, { same: 15 });
    });
});
