package dev.accesstoken.customer.model;

import java.math.BigDecimal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A row of {@code customer}. Credit changes only through the conditional updates in CustomerRepository. */
@Entity
@Table(name = "customer")
public class CustomerEntity extends PanacheEntityBase {

    @Id
    public String id;

    public String username;

    public String name;

    @Column(name = "credit_limit")
    public BigDecimal creditLimit;

    @Column(name = "available_credit")
    public BigDecimal availableCredit;

    public Customer toCustomer() {
        return new Customer(id, username, name, creditLimit, availableCredit);
    }
}
