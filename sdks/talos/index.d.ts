import * as client from "./client";
import * as cluster from "./cluster";
import * as imagefactory from "./imagefactory";
import * as machine from "./machine";
import * as types from "./types";
export { Provider, ProviderArgs } from "./provider";
export { client, cluster, imagefactory, machine, types };
