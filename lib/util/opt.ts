/** Optional fields that stay truly absent: the one spread helper every builder of model objects uses. */

/** `{key: value}` when value is defined, else `{}`. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
