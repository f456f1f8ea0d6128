// The subset of CEL that nodeadm's `kubelet.maxPodsExpression` is evaluated with (awslabs/amazon-eks-ami
// nodeadm/internal/kubelet/eni_max_pods.go evaluateCustomMaxPodsExpression): the variables default_enis,
// ips_per_eni, max_pods, vcpus and memory_mib (all CEL `int`), integer and double literals, true/false,
// + - * / %, comparisons, && || !, the ternary operator, parentheses and the standard int()/double()
// conversions. Like cel-go, the expression is type-checked before it runs: an unknown variable, mixing int
// with double, or a non-bool condition is a compile error; int overflow, division by zero and an
// out-of-range conversion are evaluation errors. nodeadm turns every error into the standard max pods.

export interface MaxPodsVariables {
  readonly default_enis: number;
  readonly ips_per_eni: number;
  readonly max_pods: number;
  readonly vcpus: number;
  readonly memory_mib: number;
}

export const MAX_PODS_EXPRESSION_VARIABLES: readonly (keyof MaxPodsVariables)[] = ['default_enis', 'ips_per_eni', 'max_pods', 'vcpus', 'memory_mib'];

type CelType = 'int' | 'double' | 'bool';
type Value = { type: 'int'; v: bigint } | { type: 'double'; v: number } | { type: 'bool'; v: boolean };

type Node =
  | { kind: 'lit'; value: Value }
  | { kind: 'var'; name: keyof MaxPodsVariables }
  | { kind: 'unary'; op: '-' | '!'; arg: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'cond'; test: Node; then: Node; else: Node }
  | { kind: 'call'; fn: 'int' | 'double'; arg: Node };

class CelError extends Error {}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT32_MAX = 2 ** 31 - 1;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:(\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|0x[0-9a-fA-F]+|\d+)|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[-+*/%()<>!?:]))/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    re.lastIndex = index;
    const match = re.exec(text);
    if (!match) throw new CelError(`Syntax error: unexpected character '${text.slice(index).trim()[0]}' at ${index}`);
    tokens.push(match[1] ?? match[2] ?? match[3]);
    index = re.lastIndex;
  }
  return tokens;
}

/** Recursive descent with CEL's precedence: ?: < || < && < relations < + - < * / % < unary. */
function parse(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (expected?: string): string => {
    const token = tokens[pos];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new CelError(`Syntax error: expected ${expected ?? 'an operand'}, got ${token ?? 'end of expression'}`);
    pos += 1;
    return token;
  };
  const conditional = (): Node => {
    const test = or();
    if (peek() !== '?') return test;
    take('?');
    const then = or();
    take(':');
    return { kind: 'cond', test, then, else: conditional() };
  };
  const binaryLevel = (ops: readonly string[], next: () => Node) => (): Node => {
    let left = next();
    while (ops.includes(peek())) {
      const op = take();
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };
  const unary = (): Node => {
    if (peek() === '-' || peek() === '!') {
      const op = take() as '-' | '!';
      return { kind: 'unary', op, arg: unary() };
    }
    return primary();
  };
  const multiplicative = binaryLevel(['*', '/', '%'], unary);
  const additive = binaryLevel(['+', '-'], multiplicative);
  const relation = binaryLevel(['<', '<=', '>', '>=', '==', '!='], additive);
  const and = binaryLevel(['&&'], relation);
  const or = binaryLevel(['||'], and);
  function primary(): Node {
    const token = take();
    if (token === '(') {
      const inner = conditional();
      take(')');
      return inner;
    }
    if (/^(\d|\.\d)/.test(token)) {
      if (/^0x/.test(token) || /^\d+$/.test(token)) {
        const v = BigInt(token);
        if (v > INT64_MAX) throw new CelError(`Syntax error: integer literal ${token} out of range`);
        return { kind: 'lit', value: { type: 'int', v } };
      }
      return { kind: 'lit', value: { type: 'double', v: Number(token) } };
    }
    if (token === 'true' || token === 'false') return { kind: 'lit', value: { type: 'bool', v: token === 'true' } };
    if (token === 'int' || token === 'double') {
      if (peek() === '(') {
        take('(');
        const arg = conditional();
        take(')');
        return { kind: 'call', fn: token, arg };
      }
    }
    if (/^[A-Za-z_]/.test(token)) {
      if (!(MAX_PODS_EXPRESSION_VARIABLES as readonly string[]).includes(token)) throw new CelError(`undeclared reference to '${token}'`);
      return { kind: 'var', name: token as keyof MaxPodsVariables };
    }
    throw new CelError(`Syntax error: unexpected '${token}'`);
  }
  const root = conditional();
  if (pos !== tokens.length) throw new CelError(`Syntax error: unexpected '${tokens[pos]}'`);
  return root;
}

/** The type checker: CEL has no implicit numeric conversion, so `max_pods * 1.5` does not compile. */
function check(node: Node): CelType {
  switch (node.kind) {
    case 'lit': return node.value.type;
    case 'var': return 'int';
    case 'call': {
      const arg = check(node.arg);
      if (arg === 'bool') throw new CelError(`found no matching overload for '${node.fn}' applied to '(bool)'`);
      return node.fn;
    }
    case 'unary': {
      const arg = check(node.arg);
      if (node.op === '!' ? arg !== 'bool' : arg === 'bool') throw new CelError(`found no matching overload for '${node.op}_' applied to '(${arg})'`);
      return arg;
    }
    case 'cond': {
      if (check(node.test) !== 'bool') throw new CelError('found no matching overload for \'_?_:_\': the condition is not a bool');
      const a = check(node.then);
      const b = check(node.else);
      if (a !== b) throw new CelError(`found no matching overload for '_?_:_' applied to '(bool, ${a}, ${b})'`);
      return a;
    }
    case 'binary': {
      const a = check(node.left);
      const b = check(node.right);
      const mismatch = () => new CelError(`found no matching overload for '_${node.op}_' applied to '(${a}, ${b})'`);
      if (node.op === '&&' || node.op === '||') {
        if (a !== 'bool' || b !== 'bool') throw mismatch();
        return 'bool';
      }
      if (a !== b) throw mismatch();
      if (node.op === '==' || node.op === '!=') return 'bool';
      if (a === 'bool') throw mismatch();
      if (['<', '<=', '>', '>='].includes(node.op)) return 'bool';
      if (node.op === '%' && a === 'double') throw mismatch();
      return a;
    }
  }
}

function intValue(v: bigint): Value {
  if (v > INT64_MAX || v < INT64_MIN) throw new CelError('integer overflow');
  return { type: 'int', v };
}

function evaluate(node: Node, vars: MaxPodsVariables): Value {
  switch (node.kind) {
    case 'lit': return node.value;
    case 'var': return { type: 'int', v: BigInt(Math.trunc(vars[node.name])) };
    case 'call': {
      const arg = evaluate(node.arg, vars);
      if (node.fn === 'double') return { type: 'double', v: arg.type === 'int' ? Number(arg.v) : (arg.v as number) };
      if (arg.type === 'int') return arg;
      const d = arg.v as number;
      if (!Number.isFinite(d) || d >= 9.223372036854776e18 || d <= -9.223372036854776e18) throw new CelError('range error converting double to int');
      return { type: 'int', v: BigInt(Math.trunc(d)) };
    }
    case 'unary': {
      const arg = evaluate(node.arg, vars);
      if (arg.type === 'bool') return { type: 'bool', v: !arg.v };
      return arg.type === 'int' ? intValue(-arg.v) : { type: 'double', v: -arg.v };
    }
    case 'cond': {
      const test = evaluate(node.test, vars);
      return test.v ? evaluate(node.then, vars) : evaluate(node.else, vars);
    }
    case 'binary': {
      if (node.op === '&&' || node.op === '||') {
        const left = evaluate(node.left, vars).v as boolean;
        if (node.op === '&&' ? !left : left) return { type: 'bool', v: left };
        return { type: 'bool', v: evaluate(node.right, vars).v as boolean };
      }
      const a = evaluate(node.left, vars);
      const b = evaluate(node.right, vars);
      switch (node.op) {
        case '==': return { type: 'bool', v: a.v === b.v };
        case '!=': return { type: 'bool', v: a.v !== b.v };
        case '<': return { type: 'bool', v: a.v < b.v };
        case '<=': return { type: 'bool', v: a.v <= b.v };
        case '>': return { type: 'bool', v: a.v > b.v };
        case '>=': return { type: 'bool', v: a.v >= b.v };
      }
      if (a.type === 'int' && b.type === 'int') {
        switch (node.op) {
          case '+': return intValue(a.v + b.v);
          case '-': return intValue(a.v - b.v);
          case '*': return intValue(a.v * b.v);
          // CEL integer division and modulus truncate toward zero, as BigInt does; by zero is an error.
          case '/': if (b.v === 0n) throw new CelError('division by zero'); return intValue(a.v / b.v);
          case '%': if (b.v === 0n) throw new CelError('modulus by zero'); return intValue(a.v % b.v);
        }
      }
      const x = a.v as number;
      const y = b.v as number;
      switch (node.op) {
        case '+': return { type: 'double', v: x + y };
        case '-': return { type: 'double', v: x - y };
        case '*': return { type: 'double', v: x * y };
        default: return { type: 'double', v: x / y };
      }
    }
  }
}

export type MaxPodsExpressionResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

/**
 * Evaluates a maxPodsExpression as nodeadm does: compile (parse + type-check), evaluate, convert the result to
 * an int, and accept it only when it is a positive integer that fits an int32.
 */
export function evaluateMaxPodsExpression(expression: string, variables: MaxPodsVariables): MaxPodsExpressionResult {
  let root: Node;
  try {
    root = parse(expression);
    check(root);
  } catch (error) {
    return { ok: false, error: `failed to compile custom max pods expression: ${(error as Error).message}` };
  }
  let value: Value;
  try {
    value = evaluate(root, variables);
  } catch (error) {
    return { ok: false, error: `failed to evaluate custom max pods expression: ${(error as Error).message}` };
  }
  if (value.type === 'bool') {
    return { ok: false, error: `could not interpret result "${value.v}" from evaluation of custom max pods expression as an integer: type conversion error from 'bool' to 'int'` };
  }
  let int: bigint;
  if (value.type === 'double') {
    if (!Number.isFinite(value.v) || Math.abs(value.v) >= 9.223372036854776e18) {
      return { ok: false, error: `could not interpret result "${value.v}" from evaluation of custom max pods expression as an integer: range error` };
    }
    int = BigInt(Math.trunc(value.v));
  } else {
    int = value.v;
  }
  if (int > BigInt(INT32_MAX) || int <= 0n) {
    return { ok: false, error: `max pods value ${int} from custom expression evaluation is invalid: value must be a positive integer less than ${INT32_MAX}` };
  }
  return { ok: true, value: Number(int) };
}
