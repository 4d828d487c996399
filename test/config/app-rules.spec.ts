import { strict as assert } from "assert";
import { appProblems, isLabelKey, isLabelValue, systemNamespaces } from "../../components/config/app-rules";
import { parseStructure } from "../../components/config/structure";
import { homeValues } from "../harness/home";

/** The home stack's parsed config with `edit` applied to its raw values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parsed(edit: (values: Record<string, any>) => void = () => undefined) {
    const values = homeValues();
    edit(values);
    return parseStructure(Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/^homelab:/, ""), v]))).parsed;
}

describe("app rules", () => {
    it("find nothing wrong with the home stack's apps", () => {
        assert.deepEqual(appProblems(parsed()), []);
    });

    it("accept the label keys and values Kubernetes accepts, at their length limits", () => {
        const name63 = `a${"b".repeat(61)}c`;
        const prefix253 = [..."abcd"]
            .map((c) => c.repeat(63))
            .join(".")
            .slice(0, 253);
        assert.equal(prefix253.length, 253);
        for (const key of ["app", "app.kubernetes.io/name", "io.kubernetes.pod.namespace", "A_b.c-D", name63, `${prefix253}/x`])
            assert.equal(isLabelKey(key), true, key);
        for (const key of ["", "k8s:app", "-app", "app-", "a/b/c", "/app", "Example.com/app", `${name63}d`, `${prefix253}a/x`, "app/"])
            assert.equal(isLabelKey(key), false, key);
        for (const value of ["", "frontend", "v1.2_3", name63]) assert.equal(isLabelValue(value), true, value);
        for (const value of ["my app", "-x", "x.", `${name63}d`]) assert.equal(isLabelValue(value), false, value);
    });

    it("let an app into a system namespace with the explicit opt-in only", () => {
        assert.equal(systemNamespaces.includes("network"), true);
        const into = (optIn: boolean) =>
            parsed((v) => Object.assign(v["homelab:apps"][0], { namespace: "network", ...(optIn ? { allowSystemNamespace: true } : {}) }));
        assert.deepEqual(
            appProblems(into(false)).map((p) => p.key),
            ["homelab:apps[my-app].namespace"],
        );
        assert.deepEqual(appProblems(into(true)), []);
    });

    it("report every problem of every app at once", () => {
        const problems = appProblems(
            parsed((v) => {
                Object.assign(v["homelab:apps"][0], { podSelector: {}, allowFrom: [{}, { "bad key": "x" }] });
                v["homelab:apps"].push({
                    name: "b",
                    namespace: "kube-public",
                    hostname: "envoy-internal.network.ragas.cc",
                    gateway: "internal",
                    service: { name: "b", port: 80 },
                });
            }),
        );
        assert.deepEqual(
            problems.map((p) => p.key),
            [
                "homelab:apps[my-app].podSelector",
                "homelab:apps[my-app].allowFrom[0]",
                "homelab:apps[my-app].allowFrom[1].bad key",
                "homelab:apps[b].namespace",
                "homelab:apps[b].hostname",
            ],
        );
    });
});
