export function ErrorNote({ message, title }: { message?: string; title?: string }) {
  if (!message) return null;
  return (
    <div className="error-note" role="alert">
      {title && <strong>{title} </strong>}
      {message}
    </div>
  );
}
