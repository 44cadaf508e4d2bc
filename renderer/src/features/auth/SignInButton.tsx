import type { ServerView } from '../../api';
import { useAuth } from './store';

export function SignInButton({ server }: { server: ServerView }) {
  const startSignIn = useAuth((s) => s.startSignIn);
  return (
    <button type="button" className="primary" onClick={() => startSignIn(server.id)}>
      Sign in
    </button>
  );
}
