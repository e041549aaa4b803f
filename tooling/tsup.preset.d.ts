import type { Options } from 'tsup';
export declare function gyroTsup(entry?: string[] | Record<string, string>, extra?: Options): Options;
