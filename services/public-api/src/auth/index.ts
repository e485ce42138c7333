export { AuthService, buildTokenProfile } from './auth.service';
export { signJwt, type KeyRing, type SigningKey } from './jwt';
export { generateOpaqueToken, hashOpaqueToken } from './opaque-tokens';
export {
  principalOfOwner,
  tokenKindOf,
  tokenKinds,
  type Principal,
  type TokenKind,
} from './principal';
