/**
 * An empty array already of V8's elements kind for objects. A new `[]` starts as "small integers", and its first
 * push of an object from optimised code deoptimises that code (an elements-kind transition); lists made once per
 * run and pushed to from hot code would do that in every run.
 */
export function objectList<T extends object>(): T[] {
  const list: T[] = [undefined as unknown as T];
  list.pop();
  return list;
}
