import type { Construct } from 'constructs';

/** A construct validation error that names the construct path, the prop and what is allowed. */
export class ConstructValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConstructValidationError';
  }
}

export function constructError(scope: Construct, prop: string, message: string): ConstructValidationError {
  return new ConstructValidationError(`${scope.constructor.name} '${scope.node.path}': ${prop} ${message}`);
}
