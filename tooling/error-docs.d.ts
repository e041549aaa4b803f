export declare function undocumentedCodes(codes: Readonly<Record<string, string>> | readonly string[], readmePath: string | URL): string[];
