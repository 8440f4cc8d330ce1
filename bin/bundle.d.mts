// Types of bundle.mjs, for the tests that import it.
export declare const BUNDLE_DIR: URL;
export declare const MANIFEST: string;
export declare function freshBundle(bundleDir?: URL, root?: URL): URL | undefined;
