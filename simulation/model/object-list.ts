/**
 * An empty array already of V8's most general elements kind. A new `[]` starts as "small integers", and its first
 * push of an object, a fraction or undefined from optimised code deoptimises that code (an elements-kind
 * transition); lists made once per run and pushed to from hot code would do that in every run.
 */
export function objectList<T>(): T[] {
  const list: T[] = [undefined as unknown as T];
  list.pop();
  return list;
}
