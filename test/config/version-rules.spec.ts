import { strict as assert } from "assert";
import { formatProblem } from "../../components/config";
import { kubernetesSupportProblem, minorOf, parseContract, parseRelease, parseVersionTag } from "../../components/config/releases";
import { kubernetesSupportProblems, versionProblems } from "../../components/config/version-rules";
import * as versions from "../../components/versions";

const pins = { version: "v1.13.9", kubernetesVersion: "v1.36.4", configContract: "v1.13" };
const check = (edit: Partial<typeof pins>) => versionProblems({ ...pins, ...edit }, pins).map(formatProblem);

describe("Talos and Kubernetes versions as stack config", () => {
    it("accepts the pins, a newer patch and the next minor", () => {
        assert.deepEqual(check({}), []);
        assert.deepEqual(check({ version: "v1.13.10", kubernetesVersion: "v1.36.5" }), []);
        assert.deepEqual(check({ version: "v1.14.0", kubernetesVersion: "v1.37.0" }), []);
        assert.deepEqual(check({ version: "v1.14.2", configContract: "v1.14" }), []);
    });

    it("refuses a version that skips a minor, naming the key and the way there", () => {
        assert.deepEqual(check({ version: "v1.15.0" }), [
            "homelab:talos.version: v1.15.0 skips a minor version past the pinned v1.13.9; Talos moves one minor at a time. Fix: set a v1.14.x release (or a v1.13.x patch) first and run `pulumi up`, then the next minor.",
        ]);
        assert.deepEqual(check({ kubernetesVersion: "v1.38.1" }), [
            "homelab:talos.kubernetesVersion: v1.38.1 skips a minor version past the pinned v1.36.4; Kubernetes moves one minor at a time. Fix: set a v1.37.x release (or a v1.36.x patch) first and run `pulumi up`, then the next minor.",
        ]);
        assert.equal(check({ version: "v2.0.0" }).length, 1, "another major is more than one minor");
    });

    it("refuses a version older than the pin, even by one patch", () => {
        assert.deepEqual(check({ version: "v1.13.8" }), [
            "homelab:talos.version: v1.13.8 is older than the pinned v1.13.9, and Talos never moves backwards. Fix: set v1.13.9 or a newer patch or minor release, or remove the key to use the pin.",
        ]);
        assert.match(
            check({ kubernetesVersion: "v1.35.9" })[0],
            /^homelab:talos\.kubernetesVersion: v1\.35\.9 is older than the pinned v1\.36\.4, and Kubernetes never moves backwards\./,
        );
    });

    it("refuses malformed versions and reports every problem at once", () => {
        assert.deepEqual(check({ version: "1.14.0", kubernetesVersion: "v1.37", configContract: "1.13" }), [
            'homelab:talos.version: "1.14.0" is not a release version like v1.13.9. Fix: give a version of the form vMAJOR.MINOR.PATCH, e.g. v1.13.9.',
            'homelab:talos.kubernetesVersion: "v1.37" is not a release version like v1.36.4. Fix: give a version of the form vMAJOR.MINOR.PATCH, e.g. v1.36.4.',
            'homelab:talos.configContract: "1.13" is not a contract like v1.13. Fix: give the Talos minor whose config defaults the nodes use, e.g. v1.13.',
        ]);
        assert.equal(parseRelease("v1.14.0-beta.1"), undefined, "a pre-release is not a release");
    });

    it("reads versions strictly: no leading zeros, no numbers past four digits, no pre-release", () => {
        assert.deepEqual(check({ kubernetesVersion: "v1.36.04" }), [
            'homelab:talos.kubernetesVersion: "v1.36.04" is not a release version like v1.36.4. Fix: give a version of the form vMAJOR.MINOR.PATCH, e.g. v1.36.4.',
        ]);
        assert.equal(check({ version: "v1.013.9" }).length, 1);
        assert.equal(check({ version: "v1.13.99999" }).length, 1, "a huge patch is no release");
        assert.equal(check({ configContract: "v1.013" }).length, 1);
        assert.deepEqual(parseRelease("v1.13.10"), { major: 1, minor: 13, patch: 10 });
        assert.deepEqual(parseRelease("v0.0.0"), { major: 0, minor: 0, patch: 0 });
    });

    it("refuses a Kubernetes version the Talos version does not run, from Talos' compatibility table, naming the fix", () => {
        assert.deepEqual(check({ kubernetesVersion: "v1.37.0" }), [
            "homelab:talos.kubernetesVersion: v1.37.0 does not run on Talos v1.13.9 (homelab:talos.version), which runs Kubernetes v1.31.0 to v1.36.x. Fix: set a Kubernetes release in v1.31.0 to v1.36.x, or first move homelab:talos.version to a Talos that runs it (v1.14.x) and run `pulumi up`.",
        ]);
        assert.deepEqual(check({ version: "v1.14.0", kubernetesVersion: "v1.37.0" }), [], "Talos 1.14 runs 1.37");
        assert.deepEqual(
            kubernetesSupportProblems("v1.13.9", "v1.36.99").map(formatProblem),
            [
                "homelab:talos.kubernetesVersion: v1.36.99 does not run on Talos v1.13.9 (homelab:talos.version), which runs Kubernetes v1.31.0 to v1.36.x. Fix: set a Kubernetes release in v1.31.0 to v1.36.x, or first move homelab:talos.version to a Talos that runs it (v1.14.x) and run `pulumi up`.",
            ],
            "upstream's maximum is exclusive (kubernetes_version.go: Compare(max) >= 0 is too new)",
        );
        assert.deepEqual(kubernetesSupportProblems("v1.13.9", "v1.31.0"), []);
        assert.deepEqual(kubernetesSupportProblems("v1.15.0", "v1.37.0").map(formatProblem), [
            "homelab:talos.kubernetesVersion: no Kubernetes support range is known for Talos v1.15.0 (homelab:talos.version). Fix: add its range to kubernetesSupport (components/config/releases.ts) from Talos' pkg/machinery/compatibility.",
        ]);
    });

    it("refuses a contract newer than the installed Talos, or older than the pinned one", () => {
        assert.deepEqual(check({ configContract: "v1.14" }), [
            "homelab:talos.configContract: v1.14 is newer than the installed Talos v1.13.9, whose nodes would refuse the config. Fix: keep v1.13 until every node runs v1.14; bump it in a later `pulumi up`.",
        ]);
        assert.deepEqual(check({ configContract: "v1.12" }), [
            "homelab:talos.configContract: v1.12 is older than the pinned contract v1.13, and the contract never moves backwards. Fix: set v1.13 or remove the key.",
        ]);
    });

    it("reads a contract and a node's tag with the same numbers as a release", () => {
        assert.deepEqual(parseContract("v1.13"), { major: 1, minor: 13 });
        assert.equal(parseContract("v1.13.9"), undefined, "a contract is a minor, not a release");
        assert.equal(parseContract("v1.013"), undefined);
        assert.equal(minorOf({ major: 1, minor: 14 }), "v1.14");
        assert.deepEqual(parseVersionTag("v1.14.0-beta.1"), { major: 1, minor: 14, patch: 0, prerelease: "beta.1" });
        assert.equal(parseVersionTag("v1.14.00"), undefined);
    });
});

describe("the pinned versions (components/versions.ts)", () => {
    it("are releases, the contract is the pinned Talos' minor, and that Talos runs the pinned Kubernetes", () => {
        const talos = parseRelease(versions.talos.version);
        assert.ok(talos, `${versions.talos.version} is not a release`);
        assert.ok(parseRelease(versions.kubernetes.version), `${versions.kubernetes.version} is not a release`);
        assert.equal(versions.talos.configContract, minorOf(talos));
        assert.equal(kubernetesSupportProblem(versions.talos.version, versions.kubernetes.version), undefined);
        assert.deepEqual(
            versionProblems(
                {
                    version: versions.talos.version,
                    kubernetesVersion: versions.kubernetes.version,
                    configContract: versions.talos.configContract,
                },
                {
                    version: versions.talos.version,
                    kubernetesVersion: versions.kubernetes.version,
                    configContract: versions.talos.configContract,
                },
            ),
            [],
        );
    });
});
