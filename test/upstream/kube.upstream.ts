import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { admissionConfiguration } from "../../tools/upstream/admission";
import { applyOrder, JudgedObject, readCrds, talosNodeConfigs } from "../../tools/upstream/inputs";
import { ApplyVerdict, JudgeServer } from "../../tools/upstream/kube-apiserver";
import { judgeTalos } from "../../tools/upstream/offline-judges";
import { homeValues } from "../harness/home";
import { referenceFile } from "../harness/reference";
import { stackObjects } from "./objects";
import { record } from "./tally";
import { runHome, runVariant, variants } from "./stacks";

// A real kube-apiserver at our Kubernetes minor, with the admission configuration Talos gives it, judges
// every object the program creates and every rendered chart object by server-side apply, in program order,
// namespaces first: defaulting, validation (CEL included), admission, and on day 2 the immutable fields.

/** Never persisted: the real cluster serves these webhooks, here nothing would answer them and every later request would fail. */
const dryRunOnly = new Set(["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService"]);

/** Cilium's CRDs (its operator registers them in the cluster; the chart source is not here), from ../shared/reference. */
const ciliumCrds = [
    "cilium/crds-v1.18.0/v2/ciliumloadbalancerippools.yaml",
    "cilium/crds-v1.18.0/v2/ciliumnetworkpolicies.yaml",
    "cilium/crds-v1.18.0/v2/ciliumclusterwidenetworkpolicies.yaml",
    "cilium/crds-v1.18.0/v2alpha1/ciliuml2announcementpolicies.yaml",
];

const explain = (v: ApplyVerdict) => (v.reason ? `${v.reason}: ${v.message}` : v.message);

describe("kube-apiserver judges every object by server-side apply", function () {
    this.timeout(900_000);
    let server: JudgeServer;
    let home: JudgedObject[];
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-upstream-"));

    before(async function () {
        const run = await runHome();
        home = stackObjects(run, "home").objects;
        // The admission plugins' configuration Talos renders for this cluster (PodSecurity's defaults).
        const controlPlane = talosNodeConfigs(run, "home").find((c) => c.generate.machineType === "controlplane")!;
        const [rendered] = judgeTalos([controlPlane], ["cloud"], { printConfig: true });
        const admission = path.join(scratch, "admission.yaml");
        fs.writeFileSync(admission, admissionConfiguration(rendered.config!));
        server = await JudgeServer.start({ serviceCidr: homeValues()["homelab:network"].serviceCidr, admissionConfig: admission });
        for (const crd of readCrds(ciliumCrds.map((f) => referenceFile(f)))) {
            const verdict = await server.client.apply(crd, { dryRun: false, fieldManager: "cilium-operator" });
            assert.ok(verdict.accepted, `Cilium CRD ${crd.metadata.name}: ${explain(verdict)}`);
            assert.ok(await server.client.waitEstablished(crd.metadata.name), `Cilium CRD ${crd.metadata.name} was not established`);
        }
    });

    after(async () => {
        await server?.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    /** Applies each object in order and records the server's verdict; namespaces and CRDs persist unless `dryRun` covers everything. */
    async function applyAll(stack: string, objects: readonly JudgedObject[], how: "first build" | "applied" | "update"): Promise<string[]> {
        const refused: string[] = [];
        for (const o of objects) {
            const persist =
                how === "applied"
                    ? !dryRunOnly.has(o.object.kind)
                    : how === "first build" && (o.object.kind === "Namespace" || o.object.kind === "CustomResourceDefinition");
            const verdict = await server.client.apply(o.object, { dryRun: !persist });
            const j = record({
                judge: "kubernetes",
                subject: `${stack} ${o.id} ${persist ? "applied" : "dry run"} (${o.origin})`,
                refusal: verdict.accepted ? undefined : explain(verdict),
                warnings: verdict.warnings,
            });
            if (j.refusal) refused.push(`${o.id}: ${j.refusal}`);
            if (verdict.accepted && persist && o.object.kind === "CustomResourceDefinition") {
                assert.ok(await server.client.waitEstablished(o.object.metadata.name), `CRD ${o.object.metadata.name} was not established`);
            }
        }
        return refused;
    }

    it("home, as a first build: every object dry-run (namespaces and CRDs applied, as they must exist first)", async () => {
        assert.deepEqual(await applyAll("home", applyOrder(home), "first build"), []);
    });

    it("home, applied for real (webhook configurations dry-run only)", async () => {
        assert.deepEqual(await applyAll("home", applyOrder(home), "applied"), []);
    });

    for (const variant of variants) {
        it(`day 2 on the applied home stack: ${variant.title} (changed and new objects, dry run)`, async () => {
            const { objects, releases, renderings } = stackObjects(await runVariant(variant), variant.title);
            const before = new Map(home.map((o) => [o.id, JSON.stringify(o.object)]));
            const changed = objects.filter((o) => before.get(o.id) !== JSON.stringify(o.object));
            const unrendered = releases.filter((r) => r.chart !== "cilium" && !renderings.has(r.resource.urn)).map((r) => r.label);
            console.log(
                `             ${variant.title}: ${changed.length} of ${objects.length} objects new or changed${unrendered.length ? `; not rendered (no source): ${unrendered.join(", ")}` : ""}`,
            );
            assert.deepEqual(await applyAll(variant.title, applyOrder(changed), "update"), []);
        });
    }

    describe("can refuse", () => {
        it("an immutable field changed on day 2: the cloudflared Deployment's selector", async () => {
            const deployment = home.find((o) => o.id === "network/Deployment/cloudflared")!;
            const changed = structuredClone(deployment.object) as unknown as {
                spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
            };
            changed.spec.selector.matchLabels = { "app.kubernetes.io/name": "cloudflared-tunnel" };
            changed.spec.template.metadata.labels = { "app.kubernetes.io/name": "cloudflared-tunnel" };
            const verdict = await server.client.apply(changed as unknown as JudgedObject["object"], { dryRun: true });
            assert.equal(verdict.accepted, false);
            assert.equal(verdict.reason, "Invalid");
            assert.match(verdict.message, /spec\.selector: Invalid value: .*field is immutable/);
        });
    });
});
