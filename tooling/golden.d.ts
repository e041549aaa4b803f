export declare const repoRoot: string;
export declare const goldenDir: string;
export declare function goldenPath(name: string): string;
export declare function goldenText(name: string): string;
// biome-ignore lint/suspicious/noExplicitAny: golden JSON is shaped by each test that reads it
export declare function goldenJson<T = any>(name: string): T;
export declare const cacheDir: string;
