package io.rustmq.examples.jakarta;

import io.rustmq.client.SendResult;
import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.resource.ResourceException;

import java.io.IOException;

/**
 * {@code POST /orders?customer=c&order=o} places an order; {@code GET /orders} lists the orders received.
 */
@WebServlet("/orders")
public class OrderResource extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private OrderService service;
    @EJB
    private OrderLog log;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        try {
            SendResult r = service.place(req.getParameter("customer"), req.getParameter("order"));
            resp.getWriter().println("stored at " + r.topic() + "/" + r.partition() + "@" + r.offset());
        } catch (ResourceException e) {
            resp.setStatus(503);
            resp.getWriter().println(e.getMessage());
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        for (String entry : log.entries()) {
            resp.getWriter().println(entry);
        }
    }
}
