// The bootstrap project's composition root: validate the config (one clear error, nothing
// declared on failure), declare the account's registry, return its outputs.
import { loadBootstrapConfig } from "../components/config/bootstrap";
import { createBootstrap } from "../components/bootstrap";

export = async () => createBootstrap(loadBootstrapConfig());
