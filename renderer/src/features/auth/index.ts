// The auth feature's public surface: consent, the grant tab, sign-in.
export { ConsentDialog } from './ConsentDialog';
export { GrantPanel } from './GrantPanel';
export { SignInButton } from './SignInButton';
export { useAuth } from './store';
export { authCommands } from './commands';
