export interface FormError {
  text: string;
  href: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateSignIn(body: Record<string, unknown>): {
  values: { email: string; password: string };
  errors: FormError[];
} {
  const email = typeof body.email === 'string' ? body.email.trim() : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const errors: FormError[] = [];
  if (!email) errors.push({ text: 'Enter your email address', href: '#email' });
  else if (email.length > 254 || !EMAIL.test(email))
    errors.push({ text: 'Enter an email address in the correct format, like name@example.com', href: '#email' });
  if (!password) errors.push({ text: 'Enter your password', href: '#password' });
  else if (password.length > 1024)
    errors.push({ text: 'Password must be 1,024 characters or fewer', href: '#password' });
  return { values: { email, password }, errors };
}
