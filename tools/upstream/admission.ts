import * as YAML from "yaml";

// The AdmissionConfiguration Talos gives kube-apiserver, from a control plane's machine config:
// cluster.apiServer.admissionControl, each entry a plugin and its configuration, written as Talos writes it
// (internal/app/machined/pkg/controllers/k8s/render_config_static_pods.go, admissionControlConfig, v1.13.9).

export function admissionConfiguration(machineConfig: string): string {
    const v1alpha1 = YAML.parseAllDocuments(machineConfig)
        .map((d) => d.toJS())
        .find((d) => d?.version === "v1alpha1");
    if (!v1alpha1) throw new Error("the machine config has no v1alpha1 document");
    const plugins = ((v1alpha1.cluster?.apiServer?.admissionControl ?? []) as { name: string; configuration: unknown }[]).map((p) => ({
        name: p.name,
        configuration: p.configuration,
    }));
    return YAML.stringify({ apiVersion: "apiserver.config.k8s.io/v1", kind: "AdmissionConfiguration", plugins });
}
