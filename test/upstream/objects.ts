import { RecordedRun } from "../../tools/offline/record";
import { HelmRelease, helmReleases, JudgedObject, objectsInProgramOrder } from "../../tools/upstream/inputs";
import { HelmRendering, renderCharts } from "../../tools/upstream/offline-judges";
import { crdValidator, Validate, valuesValidator } from "../harness/schemas";

// One stack's Kubernetes side, as the Helm and kube-apiserver judges see it: its releases, Helm's rendering
// of each, and every object in program order.

export interface StackObjects {
    releases: HelmRelease[];
    renderings: Map<string, HelmRendering>;
    objects: JudgedObject[];
}

export function stackObjects(run: RecordedRun, stack: string): StackObjects {
    const releases = helmReleases(run, stack);
    const renderings = renderCharts(releases);
    const rendered = new Map([...renderings].map(([urn, r]) => [urn, r.objects]));
    return { releases, renderings, objects: objectsInProgramOrder(run, rendered) };
}

/** The CRD schemas in ../shared/reference, by `apiVersion kind`: what our schema tests already hold objects to. */
const crdSchemas: Record<string, [string, string]> = {
    "cert-manager.io/v1 Certificate": ["cert-manager/v1.21.1/crds/cert-manager.io_certificates.yaml", "v1"],
    "cert-manager.io/v1 ClusterIssuer": ["cert-manager/v1.21.1/crds/cert-manager.io_clusterissuers.yaml", "v1"],
    "cilium.io/v2 CiliumLoadBalancerIPPool": ["cilium/crds-v1.18.0/v2/ciliumloadbalancerippools.yaml", "v2"],
    "cilium.io/v2 CiliumNetworkPolicy": ["cilium/crds-v1.18.0/v2/ciliumnetworkpolicies.yaml", "v2"],
    "cilium.io/v2alpha1 CiliumL2AnnouncementPolicy": ["cilium/crds-v1.18.0/v2alpha1/ciliuml2announcementpolicies.yaml", "v2alpha1"],
    "gateway.envoyproxy.io/v1alpha1 EnvoyProxy": ["envoy-gateway/v1.9.0/crds/gateway.envoyproxy.io_envoyproxies.yaml", "v1alpha1"],
    "gateway.envoyproxy.io/v1alpha1 ClientTrafficPolicy": [
        "envoy-gateway/v1.9.0/crds/gateway.envoyproxy.io_clienttrafficpolicies.yaml",
        "v1alpha1",
    ],
    "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy": [
        "envoy-gateway/v1.9.0/crds/gateway.envoyproxy.io_backendtrafficpolicies.yaml",
        "v1alpha1",
    ],
    "gateway.networking.k8s.io/v1 Gateway": ["gateway-api/v1.6.1/standard/gateway.networking.k8s.io_gateways.yaml", "v1"],
    "gateway.networking.k8s.io/v1 GatewayClass": ["gateway-api/v1.6.1/standard/gateway.networking.k8s.io_gatewayclasses.yaml", "v1"],
    "gateway.networking.k8s.io/v1 HTTPRoute": ["gateway-api/v1.6.1/standard/gateway.networking.k8s.io_httproutes.yaml", "v1"],
};

const validators = new Map<string, Validate>();

/** The schema check of one object, or undefined when no reference schema covers its kind (the API server judges it). */
export function schemaProblems(o: JudgedObject): string[] | undefined {
    const key = `${o.object.apiVersion} ${o.object.kind}`;
    const file = crdSchemas[key];
    if (!file) return undefined;
    if (!validators.has(key)) validators.set(key, crdValidator(file[0], file[1]));
    return validators.get(key)!(o.object);
}

/** Cilium's chart is not in ../shared/charts: its values are held to the 1.20.0 chart's values.schema.json. */
let ciliumSchema: Validate | undefined;
export function ciliumValuesProblems(values: unknown): string[] {
    ciliumSchema ??= valuesValidator("cilium/chart-1.20.0/values.schema.json");
    return ciliumSchema(values);
}
