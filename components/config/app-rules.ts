import {
    certManagerNamespace,
    dnsServiceName,
    envoyGatewayName,
    envoyGatewayNamespace,
    envoyGateways,
    httpsRedirectRouteName,
    networkNamespace,
} from "./facts";
import { Problem } from "./problems";
import { entryKey, ParsedConfig } from "./structure";

// Rules about apps that the shape cannot state: label sets that would select or admit every pod, label keys and
// values Kubernetes refuses, apps in namespaces the cluster or the program itself runs, and names that collide
// with objects or DNS names the program creates.

/**
 * Namespaces an app may enter only with `allowSystemNamespace: true`: Kubernetes' own, and those the program
 * fills (Cilium in kube-system; the gateways, their proxies, k8s_gateway and cloudflared in network; the
 * controllers in cert-manager and envoy-gateway-system). An app there could take one of their names or, with a
 * policy, change who reaches them.
 */
export const systemNamespaces: readonly string[] = [
    "kube-system",
    "kube-public",
    "kube-node-lease",
    networkNamespace,
    certManagerNamespace,
    envoyGatewayNamespace,
];

/** The HTTPRoute in `network` that redirects plain HTTP to HTTPS; an app's route is named after the app. */
export const redirectRoute = { namespace: networkNamespace, name: httpsRedirectRouteName } as const;

/**
 * LoadBalancer Services the program makes, by `<name>.<namespace>`. k8s_gateway answers `<name>.<namespace>.<domain>`
 * for every LoadBalancer Service it watches, so an app hostname equal to one would be shadowed.
 */
export const programServiceNames: readonly string[] = [...envoyGateways.map(envoyGatewayName), dnsServiceName].map(
    (service) => `${service}.${networkNamespace}`,
);

// A label key is an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters that starts and
// ends with a letter or digit and has `-`, `_`, `.` in between; a value is empty or such a name
// (k8s.io/apimachinery validation IsQualifiedName, IsValidLabelValue). `app`, `app.kubernetes.io/name` are keys;
// `k8s:app`, `-app`, `a/b/c` are not.
const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isLabelKey(key: string): boolean {
    const parts = key.split("/");
    if (parts.length > 2) return false;
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !subdomain.test(prefix))) return false;
    return name.length <= 63 && labelName.test(name);
}

export function isLabelValue(value: string): boolean {
    return value === "" || (value.length <= 63 && labelName.test(value));
}

function labelProblems(labels: Readonly<Record<string, string>>, key: string): Problem[] {
    const problems: Problem[] = [];
    for (const [name, value] of Object.entries(labels)) {
        if (!isLabelKey(name)) {
            problems.push({
                key: `${key}.${name}`,
                message: `${JSON.stringify(name)} is not a label key Kubernetes accepts`,
                fix: "use an optional DNS prefix and `/`, then up to 63 letters, digits, `-`, `_` or `.` that start and end with a letter or digit, e.g. app.kubernetes.io/name (pods of another namespace: io.kubernetes.pod.namespace)",
            });
        } else if (!isLabelValue(value)) {
            problems.push({
                key: `${key}.${name}`,
                message: `${JSON.stringify(value)} is not a label value Kubernetes accepts`,
                fix: "use up to 63 letters, digits, `-`, `_` or `.` that start and end with a letter or digit",
            });
        }
    }
    return problems;
}

export function appProblems(c: ParsedConfig): Problem[] {
    const problems: Problem[] = [];
    (c.apps ?? []).forEach((app, i) => {
        const key = entryKey(c, "apps", i);
        if (app.podSelector !== undefined) {
            if (Object.keys(app.podSelector).length === 0) {
                problems.push({
                    key: `${key}.podSelector`,
                    message: `is empty, so the app's network policy would select every pod in namespace ${app.namespace}`,
                    fix: `name the labels of the app's pods, e.g. {app: ${app.name}}, or leave podSelector out for app: ${app.name}`,
                });
            }
            problems.push(...labelProblems(app.podSelector, `${key}.podSelector`));
        }
        (app.allowFrom ?? []).forEach((labels, j) => {
            if (Object.keys(labels).length === 0) {
                problems.push({
                    key: `${key}.allowFrom[${j}]`,
                    message: `has no labels, so it would admit every pod of namespace ${app.namespace}`,
                    fix: "name the labels of the pods that may connect, e.g. {app: frontend}",
                });
            }
            problems.push(...labelProblems(labels, `${key}.allowFrom[${j}]`));
        });
        if (systemNamespaces.includes(app.namespace) && app.allowSystemNamespace !== true) {
            problems.push({
                key: `${key}.namespace`,
                message: `${app.namespace} is run by Kubernetes or by this program (${systemNamespaces.join(", ")}), where an app could take the name of one of their objects or change who reaches them`,
                fix: `use the app's own namespace, or set ${key}.allowSystemNamespace: true if it really belongs in ${app.namespace}`,
            });
        }
        if (app.namespace === redirectRoute.namespace && app.name === redirectRoute.name) {
            problems.push({
                key: `${key}.name`,
                message: `${app.name} in ${app.namespace} is the program's HTTP-to-HTTPS redirect route, which the app's route would replace`,
                fix: "pick another app name",
            });
        }
        if (c.domain !== undefined) {
            const fqdn = app.hostname.includes(".") ? app.hostname : `${app.hostname}.${c.domain}`;
            const service = programServiceNames.find((s) => fqdn === `${s}.${c.domain}`);
            if (service) {
                problems.push({
                    key: `${key}.hostname`,
                    message: `${fqdn} is the name k8s_gateway gives the program's LoadBalancer Service ${service}`,
                    fix: `pick another name under ${c.domain}`,
                });
            }
        }
    });
    return problems;
}
