package io.rustmq.it.jakarta.mp.app;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The test's window into the MicroProfile application: {@code /api/send?prefix=&count=&keys=} and
 * {@code /api/received}. Failures answer 500 with the exception chain as text.
 */
@WebServlet("/api/*")
public class MpServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    MpSender sender;
    @Inject
    MpReceiver receiver;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        String body;
        try {
            String path = req.getPathInfo() == null ? "" : req.getPathInfo();
            switch (path) {
                case "/send" -> body = String.valueOf(sender.send(req.getParameter("prefix"),
                        Integer.parseInt(req.getParameter("count")), Integer.parseInt(req.getParameter("keys"))));
                case "/received" -> body = String.join("\n", receiver.lines());
                default -> {
                    resp.sendError(404, "unknown path " + path);
                    return;
                }
            }
        } catch (Exception e) {
            resp.setStatus(500);
            StringBuilder sb = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            }
            resp.getWriter().write(sb.toString());
            return;
        }
        resp.getWriter().write(body);
    }
}
