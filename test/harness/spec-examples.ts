// The examples of ../shared/spec/network-architecture.txt, field for field, for the tests that must
// produce them exactly.

/** "HTTPRoute Example". */
export const specHttpRoute = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "my-app", namespace: "default" },
    spec: {
        parentRefs: [{ name: "envoy-internal", namespace: "network" }],
        hostnames: ["myapp.ragas.cc"],
        rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "my-app", port: 80 }] }],
    },
};
