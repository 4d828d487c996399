// Pure: how our custom resources reach the Proxmox API, and how the host must prove it is Proxmox.
import type { ServerTrust } from "../tls/server-trust";

/** The Proxmox API as the rollout reaches it: where, with which token, and how the host proves it is Proxmox. */
export interface ProxmoxAccess extends ServerTrust {
    /** `https://172.16.1.2:8006` */
    endpoint: string;
    /** `user@realm!tokenid=uuid` (secret). */
    apiToken: string;
}

/** The API's address and trust without the token; a trust key that is unset adds nothing to an input. */
export function proxmoxApi(proxmox: Omit<ProxmoxAccess, "apiToken">): Omit<ProxmoxAccess, "apiToken"> {
    const { endpoint, caCertificate, fingerprint } = proxmox;
    return { endpoint, ...(caCertificate ? { caCertificate } : {}), ...(fingerprint ? { fingerprint } : {}) };
}
