import { Homelab } from "./components/homelab";
import { loadSpec } from "./components/program-config";

const homelab = new Homelab("home", { spec: loadSpec() });

/** Admin kubeconfig (secret): `pulumi stack output --show-secrets kubeconfig`. */
export const kubeconfig = homelab.kubeconfig;
/** talosctl config with the control planes as endpoints (secret). */
export const talosconfig = homelab.talosconfig;
/** Home DNS servers left alone because they are not configured. */
export const skippedDnsForwarders = homelab.skippedForwarders;
