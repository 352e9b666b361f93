/** Values for the variables netifyd expands in plugin configs (URLs, headers, topics). */
export interface TemplateVariables {
  readonly uuid_agent?: string;
  readonly uuid_serial?: string;
  readonly uuid_site?: string;
  readonly channel?: string;
  readonly [name: string]: string | undefined;
}

/**
 * Replaces `${name}` with its value. Unknown variables are left as written, as netifyd
 * does, so a typo stays visible in the result instead of silently becoming empty.
 */
export function expandTemplate(template: string, variables: TemplateVariables): string {
  return template.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => variables[name] ?? whole);
}
