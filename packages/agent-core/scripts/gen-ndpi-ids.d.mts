export declare const DEFAULT_INCLUDE_DIR: string;
export declare const OUTPUT: string;
export declare function parseProtocolIds(headerText: string): Record<string, number>;
export declare function parseRiskIds(headerText: string): Record<string, number>;
export declare function parseVersion(configText: string): string;
export declare function renderNdpiIds(includeDir?: string): string;
