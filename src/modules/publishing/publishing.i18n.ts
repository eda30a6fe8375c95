import { translator, type Catalogues } from '../../lib/i18n.ts';

/** What readers see around a post, in the post's language (English is the fallback). */
const CATALOGUES: Catalogues = {
  en: {
    comments: 'Comments ({count})', leave: 'Leave a comment', replyTo: 'Reply to {name}', replying: 'Replying to a comment.', newInstead: 'Write a new comment instead',
    commentingAs: 'Commenting as', viaAccount: 'your Colloquy account', viaOidc: 'signed in with {provider}', name: 'Name', email: 'E-mail', notShown: '(not shown)', website: 'Website', optional: '(optional)',
    signIn: 'Sign in with {provider}', signOut: 'Sign out', comment: 'Comment', mdHint: 'Markdown: *emphasis*, [links](https://…), `code`, lists, > quotes', notify: 'E-mail me when someone replies',
    heldHint: 'First comments and comments with two or more links are read by a moderator before they appear.', send: 'Send comment', reply: 'Reply', removed: 'This comment was removed.',
    by: 'By {name}', alsoIn: 'Also in:', follow: 'Follow the comments:', draft: 'Draft',
    approved: 'Thank you: your comment is published.', pending: 'Thank you: your comment is waiting for a moderator and will appear once approved.', signedIn: 'You are signed in and can comment.',
    oidcUnavailable: 'Signing in is not possible right now: the sign-in provider could not be reached or is not configured. You can still comment with your name and e-mail.',
    oidcFailed: 'Signing in did not work (it was cancelled, expired or refused). You can try again, or comment with your name and e-mail.',
  },
  fr: {
    comments: 'Commentaires ({count})', leave: 'Laisser un commentaire', replyTo: 'Répondre à {name}', replying: 'Réponse à un commentaire.', newInstead: 'Écrire plutôt un nouveau commentaire',
    commentingAs: 'Vous commentez en tant que', viaAccount: 'votre compte Colloquy', viaOidc: 'connecté·e avec {provider}', name: 'Nom', email: 'Courriel', notShown: '(non affiché)', website: 'Site web', optional: '(facultatif)',
    signIn: 'Se connecter avec {provider}', signOut: 'Se déconnecter', comment: 'Commentaire', mdHint: 'Markdown : *italique*, [liens](https://…), `code`, listes, > citations', notify: 'Me prévenir par courriel en cas de réponse',
    heldHint: 'Les premiers commentaires et ceux qui contiennent deux liens ou plus sont lus par une personne de la modération avant de paraître.', send: 'Envoyer le commentaire', reply: 'Répondre', removed: 'Ce commentaire a été retiré.',
    by: 'Par {name}', alsoIn: 'Aussi en :', follow: 'Suivre les commentaires :', draft: 'Brouillon',
    approved: 'Merci : votre commentaire est publié.', pending: 'Merci : votre commentaire attend la modération et paraîtra une fois approuvé.', signedIn: 'Vous êtes connecté·e et pouvez commenter.',
    oidcUnavailable: 'La connexion est impossible pour le moment : le fournisseur d’identité est injoignable ou non configuré. Vous pouvez commenter avec votre nom et votre courriel.',
    oidcFailed: 'La connexion n’a pas abouti (annulée, expirée ou refusée). Vous pouvez réessayer, ou commenter avec votre nom et votre courriel.',
  },
  es: {
    comments: 'Comentarios ({count})', leave: 'Deja un comentario', replyTo: 'Responder a {name}', replying: 'Respondiendo a un comentario.', newInstead: 'Escribir un comentario nuevo',
    commentingAs: 'Comentas como', viaAccount: 'tu cuenta de Colloquy', viaOidc: 'con sesión iniciada en {provider}', name: 'Nombre', email: 'Correo electrónico', notShown: '(no se muestra)', website: 'Sitio web', optional: '(opcional)',
    signIn: 'Iniciar sesión con {provider}', signOut: 'Cerrar sesión', comment: 'Comentario', mdHint: 'Markdown: *énfasis*, [enlaces](https://…), `código`, listas, > citas', notify: 'Avisarme por correo cuando alguien responda',
    heldHint: 'Los primeros comentarios y los que tienen dos o más enlaces los revisa una persona moderadora antes de publicarse.', send: 'Enviar comentario', reply: 'Responder', removed: 'Este comentario fue retirado.',
    by: 'Por {name}', alsoIn: 'También en:', follow: 'Seguir los comentarios:', draft: 'Borrador',
    approved: 'Gracias: tu comentario está publicado.', pending: 'Gracias: tu comentario espera moderación y aparecerá cuando se apruebe.', signedIn: 'Has iniciado sesión y puedes comentar.',
    oidcUnavailable: 'Ahora no es posible iniciar sesión: no se pudo contactar con el proveedor o no está configurado. Puedes comentar con tu nombre y correo.',
    oidcFailed: 'No se pudo iniciar sesión (cancelado, caducado o rechazado). Puedes intentarlo de nuevo o comentar con tu nombre y correo.',
  },
  de: {
    comments: 'Kommentare ({count})', leave: 'Kommentar schreiben', replyTo: 'Antwort an {name}', replying: 'Antwort auf einen Kommentar.', newInstead: 'Stattdessen neuen Kommentar schreiben',
    commentingAs: 'Sie kommentieren als', viaAccount: 'Ihr Colloquy-Konto', viaOidc: 'angemeldet mit {provider}', name: 'Name', email: 'E-Mail', notShown: '(wird nicht angezeigt)', website: 'Website', optional: '(optional)',
    signIn: 'Anmelden mit {provider}', signOut: 'Abmelden', comment: 'Kommentar', mdHint: 'Markdown: *Betonung*, [Links](https://…), `Code`, Listen, > Zitate', notify: 'Per E-Mail benachrichtigen, wenn jemand antwortet',
    heldHint: 'Erste Kommentare und Kommentare mit zwei oder mehr Links werden vor dem Erscheinen moderiert.', send: 'Kommentar senden', reply: 'Antworten', removed: 'Dieser Kommentar wurde entfernt.',
    by: 'Von {name}', alsoIn: 'Auch auf:', follow: 'Kommentare abonnieren:', draft: 'Entwurf',
    approved: 'Danke: Ihr Kommentar ist veröffentlicht.', pending: 'Danke: Ihr Kommentar wartet auf die Moderation und erscheint nach der Freigabe.', signedIn: 'Sie sind angemeldet und können kommentieren.',
    oidcUnavailable: 'Anmelden ist gerade nicht möglich: Der Anbieter ist nicht erreichbar oder nicht eingerichtet. Sie können mit Name und E-Mail kommentieren.',
    oidcFailed: 'Die Anmeldung hat nicht geklappt (abgebrochen, abgelaufen oder abgelehnt). Versuchen Sie es erneut oder kommentieren Sie mit Name und E-Mail.',
  },
  ar: {
    comments: 'التعليقات ({count})', leave: 'اترك تعليقا', replyTo: 'الرد على {name}', replying: 'رد على تعليق.', newInstead: 'اكتب تعليقا جديدا بدلا من ذلك',
    commentingAs: 'تعلّق باسم', viaAccount: 'حسابك في Colloquy', viaOidc: 'مسجل الدخول عبر {provider}', name: 'الاسم', email: 'البريد الإلكتروني', notShown: '(لن يظهر)', website: 'الموقع', optional: '(اختياري)',
    signIn: 'تسجيل الدخول عبر {provider}', signOut: 'تسجيل الخروج', comment: 'التعليق', mdHint: 'Markdown: *تأكيد*، [روابط](https://…)، `رمز`، قوائم، > اقتباسات', notify: 'أرسل لي بريدا عندما يرد أحد',
    heldHint: 'يراجع المشرفون التعليقات الأولى والتعليقات التي تحتوي على رابطين أو أكثر قبل نشرها.', send: 'أرسل التعليق', reply: 'رد', removed: 'أزيل هذا التعليق.',
    by: 'بقلم {name}', alsoIn: 'متوفر أيضا بـ:', follow: 'تابع التعليقات:', draft: 'مسودة',
    approved: 'شكرا: نُشر تعليقك.', pending: 'شكرا: تعليقك بانتظار المراجعة وسيظهر بعد الموافقة عليه.', signedIn: 'سجلت الدخول ويمكنك التعليق.',
    oidcUnavailable: 'تسجيل الدخول غير ممكن الآن: تعذر الوصول إلى مزود الهوية أو أنه غير مهيأ. يمكنك التعليق باسمك وبريدك.',
    oidcFailed: 'لم ينجح تسجيل الدخول (أُلغي أو انتهت صلاحيته أو رُفض). حاول مرة أخرى أو علّق باسمك وبريدك.',
  },
  zh: {
    comments: '评论（{count}）', leave: '发表评论', replyTo: '回复 {name}', replying: '正在回复一条评论。', newInstead: '改为发表新评论',
    commentingAs: '评论身份：', viaAccount: '你的 Colloquy 账户', viaOidc: '已通过 {provider} 登录', name: '姓名', email: '电子邮件', notShown: '（不公开）', website: '网站', optional: '（可选）',
    signIn: '通过 {provider} 登录', signOut: '退出登录', comment: '评论', mdHint: 'Markdown：*强调*、[链接](https://…)、`代码`、列表、> 引用', notify: '有人回复时发邮件通知我',
    heldHint: '首次评论以及含两个或以上链接的评论须经审核后才会显示。', send: '发送评论', reply: '回复', removed: '此评论已删除。',
    by: '作者：{name}', alsoIn: '其他语言：', follow: '订阅评论：', draft: '草稿',
    approved: '谢谢：你的评论已发布。', pending: '谢谢：你的评论正在等待审核，通过后即会显示。', signedIn: '你已登录，可以发表评论。',
    oidcUnavailable: '目前无法登录：无法连接身份提供方或尚未配置。你仍可使用姓名和电子邮件发表评论。',
    oidcFailed: '登录未成功（已取消、已过期或被拒绝）。你可以重试，或使用姓名和电子邮件发表评论。',
  },
  ru: {
    comments: 'Комментарии ({count})', leave: 'Оставить комментарий', replyTo: 'Ответ для {name}', replying: 'Ответ на комментарий.', newInstead: 'Написать новый комментарий',
    commentingAs: 'Вы комментируете как', viaAccount: 'ваша учётная запись Colloquy', viaOidc: 'вход через {provider}', name: 'Имя', email: 'Эл. почта', notShown: '(не показывается)', website: 'Сайт', optional: '(необязательно)',
    signIn: 'Войти через {provider}', signOut: 'Выйти', comment: 'Комментарий', mdHint: 'Markdown: *выделение*, [ссылки](https://…), `код`, списки, > цитаты', notify: 'Сообщать по почте об ответах',
    heldHint: 'Первые комментарии и комментарии с двумя и более ссылками проверяет модератор перед публикацией.', send: 'Отправить комментарий', reply: 'Ответить', removed: 'Этот комментарий удалён.',
    by: 'Автор: {name}', alsoIn: 'Также на:', follow: 'Подписаться на комментарии:', draft: 'Черновик',
    approved: 'Спасибо: ваш комментарий опубликован.', pending: 'Спасибо: ваш комментарий ждёт модерации и появится после одобрения.', signedIn: 'Вы вошли и можете комментировать.',
    oidcUnavailable: 'Сейчас войти нельзя: провайдер недоступен или не настроен. Вы можете прокомментировать, указав имя и почту.',
    oidcFailed: 'Войти не удалось (отменено, истекло или отклонено). Попробуйте ещё раз или прокомментируйте, указав имя и почту.',
  },
};

/** The reader-facing strings of a post page in the post's language. */
export const readerText = (lang: string) => translator(CATALOGUES, lang.split('-')[0]);
export type ReaderText = ReturnType<typeof readerText>;
