/** How our custom resources reach the Kubernetes API: its address, CA and the admin client certificate. */
export interface ApiAccess {
    /** `https://<vip>:6443` */
    host: string;
    /** Base64 PEM, as the Talos kubeconfig resource gives them. */
    caCertificate: string;
    clientCertificate: string;
    /** Base64 PEM of the client key: secret. */
    clientKey: string;
}

/** The PEM buffers a TLS client takes, from the base64 the kubeconfig holds. */
export function clientCertificateOf(api: ApiAccess): { ca: Buffer; cert: Buffer; key: Buffer } {
    const pem = (b64: string) => Buffer.from(b64, "base64");
    return { ca: pem(api.caCertificate), cert: pem(api.clientCertificate), key: pem(api.clientKey) };
}
