package dev.accesstoken.order.service;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.order.model.Order;

/** In-memory orders; persistence comes later and will sit behind the same methods. */
@ApplicationScoped
public class OrderRepository {

    private static final Comparator<Order> OLDEST_FIRST = Comparator.comparing(Order::createdAt)
            .thenComparing(Order::id);

    private final Map<String, Order> ordersById = new ConcurrentHashMap<>();

    public void save(Order order) {
        ordersById.put(order.id(), order);
    }

    public Optional<Order> findById(String id) {
        return Optional.ofNullable(ordersById.get(id));
    }

    public List<Order> findAll() {
        return ordersById.values().stream().sorted(OLDEST_FIRST).toList();
    }

    public List<Order> findByUsername(String username) {
        return ordersById.values().stream().filter(order -> order.username().equals(username))
                .sorted(OLDEST_FIRST).toList();
    }
}
