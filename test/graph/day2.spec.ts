import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { day2Changes, day2Rows, Day2Summary, day2Table, tableMarkers } from "../fixtures/day2";
import { projectRoot } from "../../components/config/stack-file";

// Every day-2 change, previewed against the built home stack: the exact resources `pulumi preview` plans
// to create, update, replace and delete. Nothing is replaced that the real system need not replace: no VM
// but one that moves host, no node config but that VM's. The README's table is this table.

const none: string[] = [];
const nodes = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
const images = ["pve1", "pve2", "pve3", "pve4"].map((h) => `home-talos-image-${h}`);
const configs = nodes.map((n) => `home-talos-${n}`);
const row = (s: Partial<Day2Summary>): Day2Summary => ({ create: none, update: none, replace: none, delete: none, ...s });

const expected: Record<string, Day2Summary> = {
    "Talos v1.13.9 -> v1.14.0 (`talos.version`)": row({
        replace: images,
        update: ["home-talos-rollout", ...configs, "home-talos-upgrade"],
    }),
    // Another installer at the same version: the upgrade installs it node by node too.
    "another system extension (`talos.extensions`)": row({
        replace: [...images, "home-talos-image-schematic"],
        update: ["home-talos-rollout", ...configs, "home-talos-upgrade"],
    }),
    "Kubernetes v1.36.4 -> v1.36.5 (`talos.kubernetesVersion`)": row({ update: ["home-talos-rollout", ...configs, "home-talos-upgrade"] }),
    "Cilium chart bump (versions.ts)": row({ update: ["home-cilium-chart"] }),
    // The CRDs' chart moves with the controller's version (the CRDs upgrade first).
    "Envoy Gateway chart bump (versions.ts)": row({ update: ["home-envoy-gateway-chart", "home-envoy-gateway-crds"] }),
    "cert-manager chart bump (versions.ts)": row({ update: ["home-cert-manager-chart"] }),
    "resize a control plane (talos-cp-2: 8 cores, 16 GiB)": row({ update: ["home-talos-rollout", "home-vms-talos-cp-2"] }),
    // Both rollouts record the new node (an update that dials no node: a same step would keep the old list).
    "add a worker (talos-worker-2)": row({
        create: [
            "home-talos-talos-worker-2",
            "home-talos-talos-worker-2-first-apply",
            "home-talos-talos-worker-2-node",
            "home-vms-talos-worker-2",
        ],
        update: ["home-talos-rollout", "home-talos-upgrade"],
    }),
    // The apply's delete resets the node; its Node object's record is deleted after it (the apply depends on it).
    "remove a worker (talos-worker-1)": row({
        update: ["home-talos-rollout", "home-talos-upgrade"],
        delete: [
            "home-talos-image-pve4",
            "home-talos-talos-worker-1",
            "home-talos-talos-worker-1-first-apply",
            "home-talos-talos-worker-1-node",
            "home-vms-talos-worker-1",
        ],
    }),
    "replace a control plane (talos-cp-3 moves from pve3 to pve4)": row({
        replace: ["home-talos-talos-cp-3", "home-talos-talos-cp-3-first-apply", "home-vms-talos-cp-3"],
        update: ["home-talos-rollout"],
        delete: ["home-talos-image-pve3"],
    }),
};

describe("day-2 changes, previewed against the built home stack", function () {
    this.timeout(60000);
    let rows: Awaited<ReturnType<typeof day2Rows>>;
    before(async () => {
        rows = await day2Rows();
    });

    it("covers every change the README lists, in order", () => {
        assert.deepEqual(
            rows.map((r) => r.title),
            Object.keys(expected),
        );
        assert.deepEqual(
            day2Changes.map((c) => c.title),
            Object.keys(expected),
        );
    });

    for (const [title, summary] of Object.entries(expected)) {
        it(title, () => {
            assert.deepEqual(rows.find((r) => r.title === title)?.summary, summary);
        });
    }

    it("replaces no VM and no node config for a version, extension, chart or size change", () => {
        for (const r of rows.filter((x) => !x.title.startsWith("replace a control plane"))) {
            assert.deepEqual(
                r.summary.replace.filter((n) => n.startsWith("home-vms-") || /^home-talos-talos-/.test(n)),
                [],
                r.title,
            );
        }
    });

    it("is the table in the README (`npm run docs:project` writes it)", () => {
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        assert.ok(
            readme.includes(`${tableMarkers.start}\n${day2Table(rows)}\n${tableMarkers.end}`),
            "the README's day-2 table is stale: run `npm run docs:project`",
        );
    });
});
